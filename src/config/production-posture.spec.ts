import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDataSourceOptions } from '../database/data-source-options';
import { ConfigValidationError } from './config-validation.error';
import { parseEnvironment, type RawEnvironment } from './env.validation';

const STRONG_SECRET = 'k'.repeat(32);
const ENCRYPTION_KEY = 'e'.repeat(32);

function problemsOf(raw: RawEnvironment): string[] {
  try {
    parseEnvironment(raw, { dataDirectory: dataDirectory });
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      return error.problems;
    }
    throw error;
  }
  return [];
}

let dataDirectory: string;

beforeAll(() => {
  dataDirectory = mkdtempSync(join(tmpdir(), 'posture-'));
});

afterAll(() => {
  rmSync(dataDirectory, { recursive: true, force: true });
});

describe('parseEnvironment with NODE_ENV=production', () => {
  const production = {
    NODE_ENV: 'production',
    JWT_SECRET: STRONG_SECRET,
    ENCRYPTION_KEY,
    BCRYPT_COST: '12',
  };

  it('accepts a 32-byte secret and the default cost', () => {
    const config = parseEnvironment(
      { NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET, ENCRYPTION_KEY },
      { dataDirectory },
    );

    expect(config.isProduction).toBe(true);
    expect(config.bcryptCost).toBe(12);
    expect(config.jwt.secretGenerated).toBe(false);
  });

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['blank', '   '],
  ])('refuses a %s JWT_SECRET instead of generating one', (_what, secret) => {
    expect(problemsOf({ ...production, JWT_SECRET: secret })).toEqual([
      'JWT_SECRET: is required in production (at least 32 bytes)',
    ]);
  });

  it.each([
    ['31 ASCII bytes', 'k'.repeat(31)],
    ['15 two-byte characters (30 bytes)', 'é'.repeat(15)],
  ])('refuses a JWT_SECRET of %s', (_what, secret) => {
    expect(problemsOf({ ...production, JWT_SECRET: secret })).toEqual([
      'JWT_SECRET: must be at least 32 bytes in production',
    ]);
  });

  it('accepts 16 two-byte characters (32 bytes) as a JWT_SECRET', () => {
    expect(problemsOf({ ...production, JWT_SECRET: 'é'.repeat(16) })).toEqual([]);
  });

  it.each(['4', '9'])('refuses BCRYPT_COST=%s', (cost) => {
    expect(problemsOf({ ...production, BCRYPT_COST: cost })).toEqual([
      'BCRYPT_COST: must be at least 10 in production',
    ]);
  });

  it.each(['10', '15'])('accepts BCRYPT_COST=%s', (cost) => {
    expect(problemsOf({ ...production, BCRYPT_COST: cost })).toEqual([]);
  });

  it('reports every production problem at once', () => {
    expect(problemsOf({ NODE_ENV: 'production', BCRYPT_COST: '8' })).toEqual([
      'JWT_SECRET: is required in production (at least 32 bytes)',
      'ENCRYPTION_KEY: is required in production (at least 32 bytes)',
      'BCRYPT_COST: must be at least 10 in production',
    ]);
  });
});

describe('parseEnvironment outside production', () => {
  it('allows a low cost and generates a development secret, with a warning', () => {
    const warnings: string[] = [];
    const config = parseEnvironment(
      { NODE_ENV: 'development', BCRYPT_COST: '4' },
      { dataDirectory, warn: (message) => warnings.push(message) },
    );

    expect(config.bcryptCost).toBe(4);
    expect(config.jwt.secretGenerated).toBe(true);
    expect(Buffer.byteLength(config.jwt.secret)).toBeGreaterThanOrEqual(32);
    expect(warnings).toEqual([
      expect.stringContaining('JWT_SECRET is not set'),
      expect.stringContaining('ENCRYPTION_KEY is not set'),
    ]);
  });
});

describe('ENCRYPTION_KEY', () => {
  const production = { NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET, BCRYPT_COST: '12' };

  it.each([
    ['missing', undefined],
    ['empty', ''],
    ['blank', '   '],
  ])('is required in production: refused when %s, naming the key', (_what, key) => {
    expect(problemsOf({ ...production, ENCRYPTION_KEY: key })).toEqual([
      'ENCRYPTION_KEY: is required in production (at least 32 bytes)',
    ]);
  });

  it.each([
    ['production', 'production'],
    ['development', 'development'],
  ])('refuses a key shorter than 32 UTF-8 bytes in %s', (_what, nodeEnv) => {
    expect(
      problemsOf({ ...production, NODE_ENV: nodeEnv, ENCRYPTION_KEY: 'é'.repeat(15) }),
    ).toEqual(['ENCRYPTION_KEY: must be at least 32 bytes']);
  });

  it('is never the JWT key: each is read from its own variable', () => {
    const config = parseEnvironment(
      { ...production, ENCRYPTION_KEY: 'é'.repeat(16) },
      { dataDirectory },
    );

    expect(config.encryption).toEqual({ key: 'é'.repeat(16), keyGenerated: false });
    expect(config.jwt.secret).toBe(STRONG_SECRET);
  });

  it('is generated once in development, kept under the data directory, and read back', () => {
    const directory = mkdtempSync(join(tmpdir(), 'encryption-key-'));
    try {
      const first = parseEnvironment({ JWT_SECRET: STRONG_SECRET }, { dataDirectory: directory });
      const second = parseEnvironment({ JWT_SECRET: STRONG_SECRET }, { dataDirectory: directory });

      expect(first.encryption.keyGenerated).toBe(true);
      expect(Buffer.byteLength(first.encryption.key)).toBeGreaterThanOrEqual(32);
      expect(first.encryption.key).not.toBe(first.jwt.secret);
      expect(readFileSync(join(directory, 'encryption-key'), 'utf8')).toBe(first.encryption.key);
      expect(second.encryption.key).toBe(first.encryption.key);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('is not generated when another key is invalid (a refused start-up writes nothing)', () => {
    const directory = mkdtempSync(join(tmpdir(), 'encryption-key-'));
    try {
      expect(() => parseEnvironment({ BCRYPT_COST: '3' }, { dataDirectory: directory })).toThrow(
        ConfigValidationError,
      );
      expect(existsSync(join(directory, 'encryption-key'))).toBe(false);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

describe('buildDataSourceOptions', () => {
  it.each([
    { kind: 'sqlite' as const, path: ':memory:' },
    { kind: 'postgres' as const, url: 'postgres://app@db.internal:5432/app' },
  ])('never synchronizes the schema from the entities ($kind)', (target) => {
    expect(buildDataSourceOptions(target).synchronize).toBe(false);
  });
});
