import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError } from './config-validation.error';
import { parseEnvironment, type RawEnvironment } from './env.validation';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
/** Given everywhere below but in its own cases (production-posture.spec.ts): production needs it. */
const ENCRYPTION_KEY = 'a-test-encryption-key-of-32-bytes-or-more';

/** The problems a parse reports, or [] when it succeeds. */
function problemsOf(raw: RawEnvironment, dataDirectory?: string): string[] {
  try {
    parseEnvironment({ ENCRYPTION_KEY, ...raw }, { dataDirectory });
    return [];
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      return error.problems;
    }
    throw error;
  }
}

describe(parseEnvironment.name, () => {
  let dataDirectory: string;

  beforeEach(() => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'nest-auth-config-'));
  });

  afterEach(() => {
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  describe('defaults', () => {
    it('gives every key of the contract its default', () => {
      const config = parseEnvironment({ JWT_SECRET: SECRET }, { dataDirectory });

      expect(config).toMatchObject({
        nodeEnv: 'development',
        host: '0.0.0.0',
        port: 3000,
        database: { kind: 'sqlite', path: './data/app.sqlite' },
        jwt: {
          secret: SECRET,
          secretGenerated: false,
          accessTtlSeconds: 900,
          refreshTtlSeconds: 604800,
          sessionMaxAgeSeconds: 2592000,
          issuer: 'nest-auth',
          audience: 'nest-auth-api',
        },
        bcryptCost: 12,
        redisUrl: undefined,
        corsOrigins: [],
        cookie: { secure: true, domain: undefined },
        trustProxy: false,
        admin: undefined,
        loginMaxAttempts: 10,
        loginWindowSeconds: 900,
        authRateLimit: 60,
        metricsToken: undefined,
        logLevel: 'info',
        mail: { smtpUrl: undefined, from: 'nest-auth <no-reply@localhost>' },
        accountFlows: {
          passwordResetUrl: 'http://localhost:3000/reset-password?token={token}',
          emailVerifyUrl: 'http://localhost:3000/verify-email?token={token}',
          emailChangeUrl: 'http://localhost:3000/confirm-email?token={token}',
          passwordResetTtlSeconds: 1800,
          emailTokenTtlSeconds: 86400,
          requireVerifiedEmail: false,
        },
        auditRetentionSeconds: 90 * 86400,
        webhook: undefined,
      });
      expect(config.isProduction).toBe(false);
    });

    it('treats empty and blank values as unset', () => {
      const config = parseEnvironment(
        {
          JWT_SECRET: SECRET,
          PORT: '',
          DATABASE_URL: '  ',
          JWT_ACCESS_TTL: '',
          BCRYPT_COST: '',
          REDIS_URL: '',
          TRUST_PROXY: '',
          METRICS_TOKEN: '',
          ADMIN_EMAIL: '',
          ADMIN_PASSWORD: '',
        },
        { dataDirectory },
      );

      expect(config).toMatchObject({
        port: 3000,
        database: { kind: 'sqlite', path: './data/app.sqlite' },
        jwt: { accessTtlSeconds: 900 },
        bcryptCost: 12,
        redisUrl: undefined,
        trustProxy: false,
        metricsToken: undefined,
        admin: undefined,
      });
    });
  });

  describe('valid values', () => {
    it.each<[string, RawEnvironment, Record<string, unknown>]>([
      ['NODE_ENV=production', { NODE_ENV: 'production' }, { nodeEnv: 'production' }],
      ['NODE_ENV=test', { NODE_ENV: 'test' }, { nodeEnv: 'test' }],
      ['HOST', { HOST: '127.0.0.1' }, { host: '127.0.0.1' }],
      ['PORT=0', { PORT: '0' }, { port: 0 }],
      ['PORT=65535', { PORT: '65535' }, { port: 65535 }],
      [
        'a relative SQLite path',
        { DATABASE_URL: 'sqlite:./tmp/db.sqlite' },
        { database: { kind: 'sqlite', path: './tmp/db.sqlite' } },
      ],
      [
        'an absolute SQLite path',
        { DATABASE_URL: 'sqlite:/var/lib/app.sqlite' },
        { database: { kind: 'sqlite', path: '/var/lib/app.sqlite' } },
      ],
      [
        'SQLite in memory',
        { DATABASE_URL: 'sqlite::memory:' },
        { database: { kind: 'sqlite', path: ':memory:' } },
      ],
      [
        'a full postgres:// URL',
        { DATABASE_URL: 'postgres://app:secret@db.internal:5432/app' },
        { database: { kind: 'postgres', url: 'postgres://app:secret@db.internal:5432/app' } },
      ],
      [
        'a postgresql:// URL without user, password or port',
        { DATABASE_URL: 'postgresql://localhost/app' },
        { database: { kind: 'postgres', url: 'postgresql://localhost/app' } },
      ],
      [
        'a postgres:// URL with a host only',
        { DATABASE_URL: 'postgres://db' },
        { database: { kind: 'postgres', url: 'postgres://db' } },
      ],
      ['JWT_ACCESS_TTL in seconds', { JWT_ACCESS_TTL: '60' }, { jwt: { accessTtlSeconds: 60 } }],
      [
        'JWT_ACCESS_TTL in seconds with s',
        { JWT_ACCESS_TTL: '45s' },
        { jwt: { accessTtlSeconds: 45 } },
      ],
      ['JWT_ACCESS_TTL in hours', { JWT_ACCESS_TTL: '1h' }, { jwt: { accessTtlSeconds: 3600 } }],
      [
        'JWT_REFRESH_TTL in days',
        { JWT_REFRESH_TTL: '30d' },
        { jwt: { refreshTtlSeconds: 2592000 } },
      ],
      [
        'JWT_SESSION_MAX_AGE in hours',
        { JWT_SESSION_MAX_AGE: '12h' },
        { jwt: { sessionMaxAgeSeconds: 43200 } },
      ],
      [
        'JWT_ISSUER and JWT_AUDIENCE',
        { JWT_ISSUER: 'me', JWT_AUDIENCE: 'them' },
        { jwt: { issuer: 'me', audience: 'them' } },
      ],
      ['BCRYPT_COST=4', { BCRYPT_COST: '4' }, { bcryptCost: 4 }],
      ['BCRYPT_COST=15', { BCRYPT_COST: '15' }, { bcryptCost: 15 }],
      [
        'BCRYPT_COST=10 in production',
        { NODE_ENV: 'production', BCRYPT_COST: '10' },
        { bcryptCost: 10 },
      ],
      [
        'a redis:// URL',
        { REDIS_URL: 'redis://127.0.0.1:6379/2' },
        { redisUrl: 'redis://127.0.0.1:6379/2' },
      ],
      [
        'a rediss:// URL',
        { REDIS_URL: 'rediss://:pw@cache:6380' },
        { redisUrl: 'rediss://:pw@cache:6380' },
      ],
      [
        'CORS_ORIGINS with spaces',
        { CORS_ORIGINS: 'https://a.example.com, http://localhost:5173' },
        { corsOrigins: ['https://a.example.com', 'http://localhost:5173'] },
      ],
      ['CORS_ORIGINS=*', { CORS_ORIGINS: '*' }, { corsOrigins: ['*'] }],
      ['COOKIE_SECURE=false', { COOKIE_SECURE: 'false' }, { cookie: { secure: false } }],
      ['COOKIE_SECURE=true', { COOKIE_SECURE: 'true' }, { cookie: { secure: true } }],
      [
        'COOKIE_DOMAIN',
        { COOKIE_DOMAIN: 'Example.com' },
        { cookie: { secure: true, domain: 'example.com' } },
      ],
      [
        'COOKIE_DOMAIN with a leading dot (which browsers ignore)',
        { COOKIE_DOMAIN: '.example.com' },
        { cookie: { domain: 'example.com' } },
      ],
      ['TRUST_PROXY=off', { TRUST_PROXY: 'off' }, { trustProxy: false }],
      ['TRUST_PROXY=false', { TRUST_PROXY: 'false' }, { trustProxy: false }],
      ['TRUST_PROXY=0', { TRUST_PROXY: '0' }, { trustProxy: false }],
      ['a hop count', { TRUST_PROXY: '2' }, { trustProxy: 2 }],
      [
        'proxy addresses and ranges',
        { TRUST_PROXY: '10.0.0.1, 192.168.0.0/16,::1,fd00::/8,loopback' },
        { trustProxy: ['10.0.0.1', '192.168.0.0/16', '::1', 'fd00::/8', 'loopback'] },
      ],
      [
        'a bootstrap admin',
        { ADMIN_EMAIL: 'root@example.com', ADMIN_PASSWORD: 'long enough pass' },
        { admin: { email: 'root@example.com', password: 'long enough pass', username: 'admin' } },
      ],
      [
        'a bootstrap admin with a username',
        { ADMIN_EMAIL: 'root@example.com', ADMIN_PASSWORD: 'pw pw pw pw', ADMIN_USERNAME: 'root' },
        { admin: { username: 'root' } },
      ],
      ['LOGIN_MAX_ATTEMPTS', { LOGIN_MAX_ATTEMPTS: '1' }, { loginMaxAttempts: 1 }],
      ['LOGIN_WINDOW', { LOGIN_WINDOW: '1h' }, { loginWindowSeconds: 3600 }],
      ['AUTH_RATE_LIMIT', { AUTH_RATE_LIMIT: '100000' }, { authRateLimit: 100000 }],
      ['METRICS_TOKEN', { METRICS_TOKEN: 'scrape-me' }, { metricsToken: 'scrape-me' }],
      ['LOG_LEVEL=debug', { LOG_LEVEL: 'debug' }, { logLevel: 'debug' }],
      ['LOG_LEVEL=silent', { LOG_LEVEL: 'silent' }, { logLevel: 'silent' }],
      [
        'ENCRYPTION_KEY',
        { ENCRYPTION_KEY: 'é'.repeat(16) },
        { encryption: { key: 'é'.repeat(16), keyGenerated: false } },
      ],
      [
        'an smtp:// URL with credentials',
        { SMTP_URL: 'smtp://user:p%40ss@mail.example.com:587' },
        { mail: { smtpUrl: 'smtp://user:p%40ss@mail.example.com:587' } },
      ],
      [
        'an smtps:// URL without a port',
        { SMTP_URL: 'smtps://mail.example.com' },
        { mail: { smtpUrl: 'smtps://mail.example.com' } },
      ],
      [
        'MAIL_FROM with a display name',
        { MAIL_FROM: 'Example Support <support@example.com>' },
        { mail: { from: 'Example Support <support@example.com>' } },
      ],
      ['MAIL_FROM as a bare address', { MAIL_FROM: 'a@b.test' }, { mail: { from: 'a@b.test' } }],
      [
        'the mail link templates',
        {
          PASSWORD_RESET_URL: 'https://app.example.com/reset#token={token}',
          EMAIL_VERIFY_URL: 'https://app.example.com/verify?token={token}&from=mail',
          EMAIL_CHANGE_URL: 'http://localhost:5173/confirm/{token}',
        },
        {
          accountFlows: {
            passwordResetUrl: 'https://app.example.com/reset#token={token}',
            emailVerifyUrl: 'https://app.example.com/verify?token={token}&from=mail',
            emailChangeUrl: 'http://localhost:5173/confirm/{token}',
          },
        },
      ],
      [
        'the mail token lifetimes',
        { PASSWORD_RESET_TTL: '10m', EMAIL_TOKEN_TTL: '2d' },
        { accountFlows: { passwordResetTtlSeconds: 600, emailTokenTtlSeconds: 172800 } },
      ],
      [
        'REQUIRE_VERIFIED_EMAIL=true',
        { REQUIRE_VERIFIED_EMAIL: 'true' },
        { accountFlows: { requireVerifiedEmail: true } },
      ],
    ])('reads %s', (_case, raw, expected) => {
      const config = parseEnvironment(
        { JWT_SECRET: SECRET, ENCRYPTION_KEY, ...raw },
        { dataDirectory },
      );

      expect(config).toMatchObject(expected);
    });

    it('accepts a 32-byte JWT_SECRET in production, counting UTF-8 bytes', () => {
      const secret = 'é'.repeat(16);

      const config = parseEnvironment({
        NODE_ENV: 'production',
        JWT_SECRET: secret,
        ENCRYPTION_KEY: SECRET,
      });

      expect(config.jwt.secret).toBe(secret);
      expect(config.isProduction).toBe(true);
    });
  });

  describe('invalid values', () => {
    it.each<[string, RawEnvironment]>([
      ['NODE_ENV', { NODE_ENV: 'prod' }],
      ['PORT', { PORT: 'abc' }],
      ['PORT', { PORT: '-1' }],
      ['PORT', { PORT: '65536' }],
      ['PORT', { PORT: '80.5' }],
      ['DATABASE_URL', { DATABASE_URL: 'mysql://localhost/app' }],
      ['DATABASE_URL', { DATABASE_URL: 'sqlite:' }],
      ['DATABASE_URL', { DATABASE_URL: 'postgres://' }],
      ['DATABASE_URL', { DATABASE_URL: 'postgres://[bad' }],
      ['DATABASE_URL', { DATABASE_URL: './data/app.sqlite' }],
      ['JWT_ACCESS_TTL', { JWT_ACCESS_TTL: 'soon' }],
      ['JWT_ACCESS_TTL', { JWT_ACCESS_TTL: '0' }],
      ['JWT_ACCESS_TTL', { JWT_ACCESS_TTL: '-15m' }],
      ['JWT_ACCESS_TTL', { JWT_ACCESS_TTL: '1.5h' }],
      ['JWT_REFRESH_TTL', { JWT_REFRESH_TTL: '1w' }],
      ['JWT_SESSION_MAX_AGE', { JWT_SESSION_MAX_AGE: '1 month' }],
      ['JWT_SESSION_MAX_AGE', { JWT_SESSION_MAX_AGE: '0' }],
      ['BCRYPT_COST', { BCRYPT_COST: '3' }],
      ['BCRYPT_COST', { BCRYPT_COST: '16' }],
      ['BCRYPT_COST', { BCRYPT_COST: 'abc' }],
      ['BCRYPT_COST', { BCRYPT_COST: '12.5' }],
      ['BCRYPT_COST', { NODE_ENV: 'production', BCRYPT_COST: '9' }],
      ['JWT_SECRET', { NODE_ENV: 'production', JWT_SECRET: undefined }],
      ['JWT_SECRET', { NODE_ENV: 'production', JWT_SECRET: '' }],
      ['JWT_SECRET', { NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(31) }],
      ['JWT_SECRET', { NODE_ENV: 'production', JWT_SECRET: 'é'.repeat(15) }],
      ['REDIS_URL', { REDIS_URL: 'localhost:6379' }],
      ['REDIS_URL', { REDIS_URL: 'http://cache:6379' }],
      ['CORS_ORIGINS', { CORS_ORIGINS: 'example.com' }],
      ['CORS_ORIGINS', { CORS_ORIGINS: 'https://example.com/path' }],
      ['COOKIE_SECURE', { COOKIE_SECURE: 'yes' }],
      ['COOKIE_SECURE', { COOKIE_SECURE: '0' }],
      ['COOKIE_DOMAIN', { COOKIE_DOMAIN: 'https://example.com' }],
      ['COOKIE_DOMAIN', { COOKIE_DOMAIN: 'example.com:443' }],
      ['COOKIE_DOMAIN', { COOKIE_DOMAIN: 'example.com/app' }],
      ['COOKIE_DOMAIN', { COOKIE_DOMAIN: 'exa mple.com' }],
      ['TRUST_PROXY', { TRUST_PROXY: 'yes' }],
      ['TRUST_PROXY', { TRUST_PROXY: '10.0.0.1,not-an-ip' }],
      ['TRUST_PROXY', { TRUST_PROXY: '10.0.0.0/33' }],
      ['TRUST_PROXY', { TRUST_PROXY: '-1' }],
      ['ADMIN_EMAIL', { ADMIN_EMAIL: 'root@example.com' }],
      ['ADMIN_EMAIL', { ADMIN_PASSWORD: 'a password' }],
      ['LOGIN_MAX_ATTEMPTS', { LOGIN_MAX_ATTEMPTS: '0' }],
      ['LOGIN_MAX_ATTEMPTS', { LOGIN_MAX_ATTEMPTS: 'ten' }],
      ['LOGIN_WINDOW', { LOGIN_WINDOW: 'forever' }],
      ['AUTH_RATE_LIMIT', { AUTH_RATE_LIMIT: '0' }],
      ['LOG_LEVEL', { LOG_LEVEL: 'verbose' }],
      ['SMTP_URL', { SMTP_URL: 'mail.example.com:25' }],
      ['SMTP_URL', { SMTP_URL: 'http://mail.example.com' }],
      ['SMTP_URL', { SMTP_URL: 'smtp://' }],
      ['SMTP_URL', { SMTP_URL: 'smtp://user:pass@[bad' }],
      ['MAIL_FROM', { MAIL_FROM: 'not an address' }],
      ['MAIL_FROM', { MAIL_FROM: 'a@b.test, c@d.test' }],
      ['PASSWORD_RESET_URL', { PASSWORD_RESET_URL: 'https://app.example.com/reset' }],
      ['PASSWORD_RESET_URL', { PASSWORD_RESET_URL: 'app.example.com/reset?token={token}' }],
      ['EMAIL_VERIFY_URL', { EMAIL_VERIFY_URL: 'javascript:alert({token})' }],
      ['EMAIL_CHANGE_URL', { EMAIL_CHANGE_URL: 'not a url {token}' }],
      ['PASSWORD_RESET_TTL', { PASSWORD_RESET_TTL: 'soon' }],
      ['EMAIL_TOKEN_TTL', { EMAIL_TOKEN_TTL: '0' }],
      ['REQUIRE_VERIFIED_EMAIL', { REQUIRE_VERIFIED_EMAIL: 'yes' }],
    ])('refuses a bad %s with one line naming it: %j', (key, raw) => {
      const problems = problemsOf({ JWT_SECRET: SECRET, ...raw }, dataDirectory);

      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(new RegExp(`^${key}: `));
      expect(problems[0]).not.toContain('\n');
    });

    it('reports every invalid key at once, one line each', () => {
      const problems = problemsOf({
        NODE_ENV: 'production',
        DATABASE_URL: 'mysql://x',
        JWT_ACCESS_TTL: 'soon',
        BCRYPT_COST: '99',
        PORT: 'http',
      });

      expect(problems.map((problem) => problem.split(':')[0]).sort()).toEqual([
        'BCRYPT_COST',
        'DATABASE_URL',
        'JWT_ACCESS_TTL',
        'JWT_SECRET',
        'PORT',
      ]);
    });

    it('throws a ConfigValidationError whose message lists the problems', () => {
      expect(() => parseEnvironment({ JWT_SECRET: SECRET, BCRYPT_COST: '3' })).toThrow(
        /BCRYPT_COST/,
      );
      expect(() => parseEnvironment({ JWT_SECRET: SECRET, BCRYPT_COST: '3' })).toThrow(
        ConfigValidationError,
      );
    });

    it('never writes a development secret when start-up is refused', () => {
      problemsOf({ BCRYPT_COST: '3' }, dataDirectory);

      expect(() => statSync(join(dataDirectory, 'jwt-secret'))).toThrow();
    });
  });

  it('never repeats an invalid SMTP_URL, which may hold a password', () => {
    const problems = problemsOf({ JWT_SECRET: SECRET, SMTP_URL: 'htp://user:hunter22@host' });

    expect(problems).toHaveLength(1);
    expect(problems[0]).not.toContain('hunter22');
  });

  describe('the development secret', () => {
    it('is generated under the data directory, at least 32 bytes, with a warning', () => {
      const warnings: string[] = [];

      const config = parseEnvironment(
        { NODE_ENV: 'development', ENCRYPTION_KEY },
        { dataDirectory, warn: (message) => warnings.push(message) },
      );

      expect(config.jwt.secretGenerated).toBe(true);
      expect(Buffer.byteLength(config.jwt.secret, 'utf8')).toBeGreaterThanOrEqual(32);
      expect(readFileSync(join(dataDirectory, 'jwt-secret'), 'utf8').trim()).toBe(
        config.jwt.secret,
      );
      expect(statSync(join(dataDirectory, 'jwt-secret')).mode & 0o777).toBe(0o600);
      expect(warnings).toEqual([expect.stringContaining('JWT_SECRET')]);
    });

    it('is reused by the next start, so tokens survive a restart', () => {
      const first = parseEnvironment({ JWT_SECRET: '' }, { dataDirectory });
      const second = parseEnvironment({}, { dataDirectory });

      expect(second.jwt.secret).toBe(first.jwt.secret);
    });

    it('differs between data directories', () => {
      const other = mkdtempSync(join(tmpdir(), 'nest-auth-config-'));
      try {
        const first = parseEnvironment({}, { dataDirectory });
        const second = parseEnvironment({}, { dataDirectory: other });

        expect(second.jwt.secret).not.toBe(first.jwt.secret);
      } finally {
        rmSync(other, { recursive: true, force: true });
      }
    });

    it('is created inside a data directory that does not exist yet', () => {
      const nested = join(dataDirectory, 'a', 'b');

      const config = parseEnvironment({ NODE_ENV: 'test' }, { dataDirectory: nested });

      expect(readFileSync(join(nested, 'jwt-secret'), 'utf8').trim()).toBe(config.jwt.secret);
    });

    it('is not generated when JWT_SECRET is set; a short one only warns outside production', () => {
      const warnings: string[] = [];

      const config = parseEnvironment(
        { JWT_SECRET: 'short', ENCRYPTION_KEY },
        { dataDirectory, warn: (message) => warnings.push(message) },
      );

      expect(config.jwt).toMatchObject({ secret: 'short', secretGenerated: false });
      expect(warnings).toEqual([expect.stringContaining('32 bytes')]);
      expect(() => statSync(join(dataDirectory, 'jwt-secret'))).toThrow();
    });
  });

  describe('security events and webhooks', () => {
    const WEBHOOK_SECRET = `whsec_${Buffer.alloc(24, 7).toString('base64')}`;

    it('reads AUDIT_RETENTION as a duration', () => {
      const config = parseEnvironment(
        { JWT_SECRET: SECRET, AUDIT_RETENTION: '30d' },
        { dataDirectory },
      );

      expect(config.auditRetentionSeconds).toBe(30 * 86400);
    });

    it.each(['0', '-1d', '90 days', '1w'])('refuses AUDIT_RETENTION=%s', (value) => {
      expect(problemsOf({ JWT_SECRET: SECRET, AUDIT_RETENTION: value }, dataDirectory)).toEqual([
        expect.stringMatching(/^AUDIT_RETENTION: /),
      ]);
    });

    it('takes WEBHOOK_URL and WEBHOOK_SECRET together', () => {
      const config = parseEnvironment(
        {
          JWT_SECRET: SECRET,
          WEBHOOK_URL: 'https://hooks.example.com/auth',
          WEBHOOK_SECRET,
        },
        { dataDirectory },
      );

      expect(config.webhook).toEqual({
        url: 'https://hooks.example.com/auth',
        secret: WEBHOOK_SECRET,
      });
    });

    it.each<[string, RawEnvironment, string]>([
      ['a URL without a secret', { WEBHOOK_URL: 'https://h.example.com' }, 'WEBHOOK_SECRET'],
      ['a secret without a URL', { WEBHOOK_SECRET }, 'WEBHOOK_URL'],
      [
        'a URL that is not http(s)',
        { WEBHOOK_URL: 'ftp://h.example.com', WEBHOOK_SECRET },
        'WEBHOOK_URL',
      ],
      ['a URL that does not parse', { WEBHOOK_URL: 'hooks', WEBHOOK_SECRET }, 'WEBHOOK_URL'],
      [
        'a secret without the prefix',
        { WEBHOOK_URL: 'https://h.example.com', WEBHOOK_SECRET: WEBHOOK_SECRET.slice(6) },
        'WEBHOOK_SECRET',
      ],
      [
        'a secret that is not base64',
        { WEBHOOK_URL: 'https://h.example.com', WEBHOOK_SECRET: 'whsec_not base64!' },
        'WEBHOOK_SECRET',
      ],
      [
        'a secret with a short key',
        { WEBHOOK_URL: 'https://h.example.com', WEBHOOK_SECRET: 'whsec_c2hvcnQ=' },
        'WEBHOOK_SECRET',
      ],
    ])('refuses %s, naming the key', (_title, env, key) => {
      expect(problemsOf({ JWT_SECRET: SECRET, ...env }, dataDirectory)).toEqual([
        expect.stringMatching(new RegExp(`^${key}: `)),
      ]);
    });
  });
});
