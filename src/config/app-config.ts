import type { KeyObject } from 'node:crypto';
import type { DatabaseTarget } from './database-url';
import type { JwtAlgorithm } from './signing-key-material';

export type TrustProxySetting = false | number | string[];

export interface JwtSettings {
  readonly algorithm: JwtAlgorithm;
  /** HMAC key bytes: the UTF-8 bytes of JWT_SECRET (HS256 only; empty otherwise). */
  readonly secret: string;
  readonly secretGenerated: boolean;
  /** RS256/ES256: the signing key, from JWT_PRIVATE_KEY(_FILE) or generated in development. */
  readonly privateKey?: KeyObject;
  readonly privateKeyGenerated: boolean;
  /** RS256/ES256: the keys of JWT_PREVIOUS_PUBLIC_KEYS_FILE, which still verify their tokens. */
  readonly previousPublicKeys: readonly KeyObject[];
  readonly accessTtlSeconds: number;
  readonly refreshTtlSeconds: number;
  /** The absolute lifetime of a session from its sign-in: refreshing never extends it past. */
  readonly sessionMaxAgeSeconds: number;
  readonly issuer: string;
  readonly audience: string;
}

/** Links and lifetimes of the account flows by email (issue 15). */
export interface AccountFlowSettings {
  /** Link templates; `{token}` is replaced by the URL-safe token. */
  readonly passwordResetUrl: string;
  readonly emailVerifyUrl: string;
  readonly emailChangeUrl: string;
  readonly passwordResetTtlSeconds: number;
  /** Lifetime of a verification or email-change token. */
  readonly emailTokenTtlSeconds: number;
  /** A correct login of an unverified account gets 403 `email_not_verified`. */
  readonly requireVerifiedEmail: boolean;
}

export interface CookieSettings {
  /** Whether auth cookies carry `Secure` (COOKIE_SECURE; off only for plain-HTTP development). */
  readonly secure: boolean;
  /** The `Domain` of auth cookies (COOKIE_DOMAIN); undefined: host-only cookies. */
  readonly domain?: string;
}

export interface EncryptionSettings {
  /** ENCRYPTION_KEY (its UTF-8 bytes): the input key material of secrets kept at rest. */
  readonly key: string;
  readonly keyGenerated: boolean;
}

/** Where security events are POSTed (Standard Webhooks); set only when both keys are. */
export interface WebhookSettings {
  readonly url: string;
  /** `whsec_<base64>`, as the standardwebhooks package takes it. */
  readonly secret: string;
}

export interface BootstrapAdminSettings {
  readonly email: string;
  readonly password: string;
  readonly username: string;
}

export interface MailSettings {
  /** smtp:// or smtps:// URL; unset: mail is logged (development) or kept in the outbox (production). */
  readonly smtpUrl?: string;
  /** The From of every mail. */
  readonly from: string;
}

/**
 * The validated configuration, built once at start-up. Services inject this class
 * (it is its own DI token) and never read `process.env`.
 */
export class AppConfig {
  readonly nodeEnv!: 'development' | 'production' | 'test';
  readonly host!: string;
  readonly port!: number;
  readonly database!: DatabaseTarget;
  readonly jwt!: JwtSettings;
  readonly encryption!: EncryptionSettings;
  readonly bcryptCost!: number;
  readonly redisUrl?: string;
  /** Prefix of every key this app writes to Redis, so apps (or test runs) can share one server. */
  readonly redisKeyPrefix!: string;
  readonly corsOrigins!: string[];
  readonly cookie!: CookieSettings;
  readonly trustProxy!: TrustProxySetting;
  readonly admin?: BootstrapAdminSettings;
  readonly loginMaxAttempts!: number;
  readonly loginWindowSeconds!: number;
  readonly authRateLimit!: number;
  readonly metricsToken?: string;
  /** PUBLIC_URL without a trailing slash: the base of the absolute URLs in the OAuth metadata. */
  readonly publicUrl?: string;
  readonly introspectionToken?: string;
  readonly logLevel!: string;
  readonly mail!: MailSettings;
  readonly accountFlows!: AccountFlowSettings;
  /** Security events older than this are purged (AUDIT_RETENTION). */
  readonly auditRetentionSeconds!: number;
  readonly webhook?: WebhookSettings;

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }

  static from(values: Omit<AppConfig, 'isProduction'>): AppConfig {
    return Object.assign(new AppConfig(), values);
  }
}
