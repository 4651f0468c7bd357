import type { DatabaseTarget } from './database-url';

export type TrustProxySetting = false | number | string[];

export interface JwtSettings {
  /** HMAC key bytes: the UTF-8 bytes of JWT_SECRET. */
  readonly secret: string;
  readonly secretGenerated: boolean;
  readonly accessTtlSeconds: number;
  readonly refreshTtlSeconds: number;
  readonly issuer: string;
  readonly audience: string;
}

export interface EncryptionSettings {
  /** ENCRYPTION_KEY (its UTF-8 bytes): the input key material of secrets kept at rest. */
  readonly key: string;
  readonly keyGenerated: boolean;
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
  readonly trustProxy!: TrustProxySetting;
  readonly admin?: BootstrapAdminSettings;
  readonly loginMaxAttempts!: number;
  readonly loginWindowSeconds!: number;
  readonly authRateLimit!: number;
  readonly metricsToken?: string;
  readonly logLevel!: string;
  readonly mail!: MailSettings;

  get isProduction(): boolean {
    return this.nodeEnv === 'production';
  }

  static from(values: Omit<AppConfig, 'isProduction'>): AppConfig {
    return Object.assign(new AppConfig(), values);
  }
}
