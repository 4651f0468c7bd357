import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDataSourceOptions } from '../database/data-source-options';
import { ConfigValidationError } from './config-validation.error';
import { parseEnvironment, type RawEnvironment } from './env.validation';

const STRONG_SECRET = 'k'.repeat(32);

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
  const production = { NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET, BCRYPT_COST: '12' };

  it('accepts a 32-byte secret and the default cost', () => {
    const config = parseEnvironment(
      { NODE_ENV: 'production', JWT_SECRET: STRONG_SECRET },
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
    expect(warnings).toEqual([expect.stringContaining('JWT_SECRET is not set')]);
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
