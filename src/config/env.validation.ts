import type { KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { join } from 'node:path';
import addressparser from 'nodemailer/lib/addressparser';
import { AppConfig, type TrustProxySetting, type WebhookSettings } from './app-config';
import { ConfigValidationError } from './config-validation.error';
import { parseDatabaseUrl, type DatabaseTarget } from './database-url';
import { parseDurationSeconds } from './duration';
import {
  developmentPrivateKeyFile,
  loadOrCreateDevelopmentPrivateKey,
  loadOrCreateDevelopmentSecret,
} from './development-secret';
import {
  isAsymmetric,
  JWT_ALGORITHMS,
  parsePrivateKey,
  parsePublicKeys,
  type AsymmetricJwtAlgorithm,
} from './signing-key-material';

export type RawEnvironment = Record<string, string | undefined>;

const NODE_ENVS = ['development', 'production', 'test'] as const;
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const BOOLEANS = ['true', 'false'] as const;
// RFC 1123 labels: letters, digits and inner hyphens, dot-separated (a cookie's Domain attribute).
const DOMAIN_NAME =
  /^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;
const MIN_SECRET_BYTES = 32;
const MIN_PRODUCTION_BCRYPT_COST = 10;
const PROXY_KEYWORDS = new Set(['loopback', 'linklocal', 'uniquelocal']);
const DEFAULT_MAIL_FROM = 'nest-auth <no-reply@localhost>';

export interface ParseEnvironmentOptions {
  /** Where a development JWT secret is kept when none is configured. */
  dataDirectory?: string;
  /** Receives warnings such as "generated a development secret". */
  warn?: (message: string) => void;
}

/**
 * Validates the environment into an {@link AppConfig}. Every invalid key adds one line naming
 * it; all lines are thrown together so an operator fixes them in one pass.
 */
export function parseEnvironment(
  raw: RawEnvironment,
  options: ParseEnvironmentOptions = {},
): AppConfig {
  const problems: string[] = [];
  const warn = options.warn ?? (() => undefined);
  const read = (key: string): string | undefined => {
    const value = raw[key]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const fail = <T>(key: string, problem: string, fallback: T): T => {
    problems.push(`${key}: ${problem}`);
    return fallback;
  };
  const oneOf = <T extends string>(key: string, allowed: readonly T[], fallback: T): T => {
    const value = read(key) ?? fallback;
    return (allowed as readonly string[]).includes(value)
      ? (value as T)
      : fail(key, `must be one of ${allowed.join(', ')} (got "${value}")`, fallback);
  };
  const integer = (key: string, fallback: number, min: number, max: number): number => {
    const value = read(key);
    if (value === undefined) {
      return fallback;
    }
    const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    return parsed >= min && parsed <= max
      ? parsed
      : fail(key, `must be a whole number from ${min} to ${max} (got "${value}")`, fallback);
  };
  const duration = (key: string, fallback: string): number => {
    const value = read(key) ?? fallback;
    const seconds = parseDurationSeconds(value);
    return (
      seconds ??
      fail(key, `must be whole seconds or <n>s|m|h|d, such as 900 or 15m (got "${value}")`, 1)
    );
  };

  const nodeEnv = oneOf('NODE_ENV', NODE_ENVS, 'development');
  const isProduction = nodeEnv === 'production';
  const host = read('HOST') ?? '0.0.0.0';
  const port = integer('PORT', 3000, 0, 65535);

  const databaseText = read('DATABASE_URL') ?? 'sqlite:./data/app.sqlite';
  const database: DatabaseTarget =
    parseDatabaseUrl(databaseText) ??
    fail<DatabaseTarget>(
      'DATABASE_URL',
      'must be sqlite:<path>, sqlite::memory: or a postgres:// or postgresql:// URL',
      { kind: 'sqlite', path: ':memory:' },
    );

  const algorithm = oneOf('JWT_ALGORITHM', JWT_ALGORITHMS, 'HS256');
  let secret = isAsymmetric(algorithm) ? undefined : read('JWT_SECRET');
  let secretGenerated = false;
  if (!isAsymmetric(algorithm)) {
    if (secret !== undefined && Buffer.byteLength(secret, 'utf8') < MIN_SECRET_BYTES) {
      if (isProduction) {
        fail('JWT_SECRET', `must be at least ${MIN_SECRET_BYTES} bytes in production`, undefined);
      } else {
        warn(`JWT_SECRET is shorter than ${MIN_SECRET_BYTES} bytes; production refuses such a key`);
      }
    }
    if (secret === undefined) {
      if (isProduction) {
        fail(
          'JWT_SECRET',
          `is required in production (at least ${MIN_SECRET_BYTES} bytes)`,
          undefined,
        );
      } else {
        // Generated once the rest is known to be valid, so a refused start-up writes nothing.
        secretGenerated = true;
      }
    }
  }

  let privateKey: KeyObject | undefined;
  let privateKeyGenerated = false;
  let previousPublicKeys: KeyObject[] = [];
  if (isAsymmetric(algorithm)) {
    const inline = read('JWT_PRIVATE_KEY');
    const file = read('JWT_PRIVATE_KEY_FILE');
    if (inline !== undefined && file !== undefined) {
      fail('JWT_PRIVATE_KEY', 'set JWT_PRIVATE_KEY or JWT_PRIVATE_KEY_FILE, not both', undefined);
    } else if (inline !== undefined || file !== undefined) {
      const [key, pem] =
        inline !== undefined
          ? (['JWT_PRIVATE_KEY', inline] as const)
          : (['JWT_PRIVATE_KEY_FILE', readTextFile(file ?? '')] as const);
      const parsed =
        pem === undefined ? `cannot read the file "${file}"` : parsePrivateKey(pem, algorithm);
      privateKey = typeof parsed === 'string' ? fail(key, parsed, undefined) : parsed;
    } else if (isProduction) {
      fail(
        'JWT_PRIVATE_KEY',
        `is required in production with JWT_ALGORITHM=${algorithm} (or JWT_PRIVATE_KEY_FILE)`,
        undefined,
      );
    } else {
      privateKeyGenerated = true;
    }
    const previousFile = read('JWT_PREVIOUS_PUBLIC_KEYS_FILE');
    if (previousFile !== undefined) {
      const text = readTextFile(previousFile);
      const parsed =
        text === undefined
          ? `cannot read the file "${previousFile}"`
          : parsePublicKeys(text, algorithm);
      previousPublicKeys =
        typeof parsed === 'string' ? fail('JWT_PREVIOUS_PUBLIC_KEYS_FILE', parsed, []) : parsed;
    }
  }

  // Its own key, never derived from JWT_SECRET: rotating the signing key must not make the
  // TOTP seeds unreadable (and so lock every user with a second factor out).
  let encryptionKey = read('ENCRYPTION_KEY');
  const encryptionKeyGenerated = encryptionKey === undefined && !isProduction;
  if (encryptionKey === undefined && isProduction) {
    fail(
      'ENCRYPTION_KEY',
      `is required in production (at least ${MIN_SECRET_BYTES} bytes)`,
      undefined,
    );
  } else if (
    encryptionKey !== undefined &&
    Buffer.byteLength(encryptionKey, 'utf8') < MIN_SECRET_BYTES
  ) {
    fail('ENCRYPTION_KEY', `must be at least ${MIN_SECRET_BYTES} bytes`, undefined);
  }

  const accessTtlSeconds = duration('JWT_ACCESS_TTL', '15m');
  const refreshTtlSeconds = duration('JWT_REFRESH_TTL', '7d');
  const sessionMaxAgeSeconds = duration('JWT_SESSION_MAX_AGE', '30d');
  const bcryptCost = integer('BCRYPT_COST', 12, 4, 15);
  if (isProduction && bcryptCost < MIN_PRODUCTION_BCRYPT_COST) {
    fail('BCRYPT_COST', `must be at least ${MIN_PRODUCTION_BCRYPT_COST} in production`, undefined);
  }

  const redisUrl = read('REDIS_URL');
  if (redisUrl !== undefined && !isRedisUrl(redisUrl)) {
    fail('REDIS_URL', 'must be a redis:// or rediss:// URL', undefined);
  }

  const corsOrigins = (read('CORS_ORIGINS') ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin.length > 0);
  for (const origin of corsOrigins) {
    if (origin !== '*' && !isOrigin(origin)) {
      fail(
        'CORS_ORIGINS',
        `"${origin}" is not an origin such as https://app.example.com`,
        undefined,
      );
    }
  }

  const cookieSecure = oneOf('COOKIE_SECURE', BOOLEANS, 'true') === 'true';
  const cookieDomain = read('COOKIE_DOMAIN')?.replace(/^\./, '').toLowerCase();
  if (cookieDomain !== undefined && !DOMAIN_NAME.test(cookieDomain)) {
    fail(
      'COOKIE_DOMAIN',
      `must be a domain name such as example.com, without scheme, port or path (got "${cookieDomain}")`,
      undefined,
    );
  }

  const trustProxy = parseTrustProxy(read('TRUST_PROXY'), (problem) =>
    fail('TRUST_PROXY', problem, undefined),
  );

  const adminEmail = read('ADMIN_EMAIL');
  const adminPassword = raw.ADMIN_PASSWORD;
  if ((adminEmail === undefined) !== (adminPassword === undefined || adminPassword === '')) {
    fail('ADMIN_EMAIL', 'ADMIN_EMAIL and ADMIN_PASSWORD must be set together', undefined);
  }

  const loginMaxAttempts = integer('LOGIN_MAX_ATTEMPTS', 10, 1, Number.MAX_SAFE_INTEGER);
  const loginWindowSeconds = duration('LOGIN_WINDOW', '15m');
  const authRateLimit = integer('AUTH_RATE_LIMIT', 60, 1, Number.MAX_SAFE_INTEGER);
  const logLevel = oneOf('LOG_LEVEL', LOG_LEVELS, 'info');
  const auditRetentionSeconds = duration('AUDIT_RETENTION', '90d');
  const webhook = parseWebhook(read('WEBHOOK_URL'), read('WEBHOOK_SECRET'), (key, problem) =>
    fail(key, problem, undefined),
  );

  const publicUrlText = read('PUBLIC_URL');
  const publicUrl =
    publicUrlText === undefined
      ? undefined
      : (publicBaseUrl(publicUrlText) ??
        fail<undefined>(
          'PUBLIC_URL',
          `must be an http:// or https:// URL such as https://api.example.com (got "${publicUrlText}")`,
          undefined,
        ));

  const smtpUrl = read('SMTP_URL');
  if (smtpUrl !== undefined && !isSmtpUrl(smtpUrl)) {
    // The value is not echoed: it may hold the SMTP password.
    fail(
      'SMTP_URL',
      'must be an smtp:// or smtps:// URL such as smtp://user:pass@host:587',
      undefined,
    );
  }
  const mailFrom = read('MAIL_FROM') ?? DEFAULT_MAIL_FROM;
  if (!isMailbox(mailFrom)) {
    fail(
      'MAIL_FROM',
      `must be one address such as "nest-auth <no-reply@example.com>" (got "${mailFrom}")`,
      undefined,
    );
  }
  const linkTemplate = (key: string, path: string): string => {
    const value = read(key) ?? `http://localhost:3000/${path}?token={token}`;
    return isLinkTemplate(value)
      ? value
      : fail(key, 'must be an http(s) URL containing {token}', value);
  };
  const accountFlows = {
    passwordResetUrl: linkTemplate('PASSWORD_RESET_URL', 'reset-password'),
    emailVerifyUrl: linkTemplate('EMAIL_VERIFY_URL', 'verify-email'),
    emailChangeUrl: linkTemplate('EMAIL_CHANGE_URL', 'confirm-email'),
    passwordResetTtlSeconds: duration('PASSWORD_RESET_TTL', '30m'),
    emailTokenTtlSeconds: duration('EMAIL_TOKEN_TTL', '24h'),
    requireVerifiedEmail: oneOf('REQUIRE_VERIFIED_EMAIL', ['true', 'false'], 'false') === 'true',
  };

  if (problems.length > 0) {
    throw new ConfigValidationError(problems);
  }
  const dataDirectory = options.dataDirectory ?? './data';
  if (secretGenerated) {
    secret = loadOrCreateDevelopmentSecret(dataDirectory, 'jwt-secret');
    warn(
      `JWT_SECRET is not set: using a generated development key kept in ${join(dataDirectory, 'jwt-secret')}`,
    );
  }
  if (encryptionKeyGenerated) {
    encryptionKey = loadOrCreateDevelopmentSecret(dataDirectory, 'encryption-key');
    warn(
      `ENCRYPTION_KEY is not set: using a generated development key kept in ${join(dataDirectory, 'encryption-key')}`,
    );
  }
  if (privateKeyGenerated) {
    privateKey = developmentPrivateKey(dataDirectory, algorithm as AsymmetricJwtAlgorithm);
    warn(
      `JWT_PRIVATE_KEY is not set: signing ${algorithm} tokens with a generated development key ` +
        `kept in ${join(dataDirectory, developmentPrivateKeyFile(algorithm as AsymmetricJwtAlgorithm))}`,
    );
  }

  return AppConfig.from({
    nodeEnv,
    host,
    port,
    database,
    jwt: {
      algorithm,
      secret: secret ?? '',
      secretGenerated,
      privateKey,
      privateKeyGenerated,
      previousPublicKeys,
      accessTtlSeconds,
      refreshTtlSeconds,
      sessionMaxAgeSeconds,
      issuer: read('JWT_ISSUER') ?? 'nest-auth',
      audience: read('JWT_AUDIENCE') ?? 'nest-auth-api',
    },
    encryption: { key: encryptionKey ?? '', keyGenerated: encryptionKeyGenerated },
    bcryptCost,
    redisUrl,
    redisKeyPrefix: read('REDIS_KEY_PREFIX') ?? 'nest-auth',
    corsOrigins,
    cookie: { secure: cookieSecure, domain: cookieDomain },
    trustProxy,
    admin:
      adminEmail !== undefined && adminPassword
        ? {
            email: adminEmail,
            password: adminPassword,
            username: read('ADMIN_USERNAME') ?? 'admin',
          }
        : undefined,
    loginMaxAttempts,
    loginWindowSeconds,
    authRateLimit,
    metricsToken: read('METRICS_TOKEN'),
    publicUrl,
    introspectionToken: read('INTROSPECTION_TOKEN'),
    logLevel,
    mail: { smtpUrl, from: mailFrom },
    accountFlows,
    auditRetentionSeconds,
    webhook,
  });
}

/** The file's text, or undefined when it cannot be read (the caller names the key). */
function readTextFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function developmentPrivateKey(
  dataDirectory: string,
  algorithm: AsymmetricJwtAlgorithm,
): KeyObject {
  const parsed = parsePrivateKey(
    loadOrCreateDevelopmentPrivateKey(dataDirectory, algorithm),
    algorithm,
  );
  if (typeof parsed === 'string') {
    throw new ConfigValidationError([
      `JWT_PRIVATE_KEY: the development key in ${dataDirectory} ${parsed}; delete it to generate another`,
    ]);
  }
  return parsed;
}

/** An http(s) origin with an optional path, without a trailing slash, query or fragment. */
function publicBaseUrl(text: string): string | undefined {
  try {
    const url = new URL(text);
    if ((url.protocol !== 'http:' && url.protocol !== 'https:') || url.search || url.hash) {
      return undefined;
    }
    return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
  } catch {
    return undefined;
  }
}

// Standard Webhooks secrets: the prefix, then base64 of the HMAC key (24 to 64 bytes recommended).
const WEBHOOK_SECRET_FORMAT = /^whsec_[A-Za-z0-9+/]+={0,2}$/;
const MIN_WEBHOOK_KEY_BYTES = 16;
// The outbox keeps the URL as each delivery's recipient, in a column of this size.
const MAX_WEBHOOK_URL_LENGTH = 2048;

function parseWebhook(
  url: string | undefined,
  secret: string | undefined,
  fail: (key: string, problem: string) => undefined,
): WebhookSettings | undefined {
  if (url === undefined && secret === undefined) {
    return undefined;
  }
  if (url === undefined || secret === undefined) {
    return fail(
      url === undefined ? 'WEBHOOK_URL' : 'WEBHOOK_SECRET',
      'WEBHOOK_URL and WEBHOOK_SECRET must be set together',
    );
  }
  let problem = false;
  if (!isHttpUrl(url) || url.length > MAX_WEBHOOK_URL_LENGTH) {
    problem = true;
    fail(
      'WEBHOOK_URL',
      `must be an http:// or https:// URL of at most ${MAX_WEBHOOK_URL_LENGTH} characters`,
    );
  }
  const keyBytes = WEBHOOK_SECRET_FORMAT.test(secret)
    ? Buffer.from(secret.slice('whsec_'.length), 'base64').length
    : 0;
  if (keyBytes < MIN_WEBHOOK_KEY_BYTES) {
    problem = true;
    fail(
      'WEBHOOK_SECRET',
      `must be whsec_ followed by the base64 of at least ${MIN_WEBHOOK_KEY_BYTES} random bytes`,
    );
  }
  return problem ? undefined : { url, secret };
}

function isHttpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

function isRedisUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return url.protocol === 'redis:' || url.protocol === 'rediss:';
  } catch {
    return false;
  }
}

function isSmtpUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'smtp:' || url.protocol === 'smtps:') && url.hostname !== '';
  } catch {
    return false;
  }
}

/** An http(s) URL with the `{token}` placeholder, which the mail's link replaces. */
function isLinkTemplate(text: string): boolean {
  if (!text.includes('{token}')) {
    return false;
  }
  try {
    const url = new URL(text.replaceAll('{token}', 'token'));
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/** Exactly one address, with or without a display name. */
function isMailbox(text: string): boolean {
  const parsed = addressparser(text, { flatten: true });
  return parsed.length === 1 && /^[^\s@]+@[^\s@]+$/.test(parsed[0].address ?? '');
}

function isOrigin(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === text;
  } catch {
    return false;
  }
}

function parseTrustProxy(
  value: string | undefined,
  fail: (problem: string) => undefined,
): TrustProxySetting {
  if (value === undefined || ['off', 'false', '0'].includes(value.toLowerCase())) {
    return false;
  }
  if (/^\d+$/.test(value)) {
    return Number(value);
  }
  const entries = value.split(',').map((entry) => entry.trim());
  const invalid = entries.filter((entry) => !isProxyAddress(entry));
  if (invalid.length > 0) {
    fail(`must be off, a hop count, or proxy addresses (not "${invalid.join(', ')}")`);
    return false;
  }
  return entries;
}

function isProxyAddress(entry: string): boolean {
  if (PROXY_KEYWORDS.has(entry)) {
    return true;
  }
  const [address, prefix, ...rest] = entry.split('/');
  if (rest.length > 0 || isIP(address) === 0) {
    return false;
  }
  if (prefix === undefined) {
    return true;
  }
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
  return bits >= 0 && bits <= (isIP(address) === 4 ? 32 : 128);
}
