import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigValidationError } from './config-validation.error';
import { parseEnvironment, type RawEnvironment } from './env.validation';

const SECRET = 'a-test-secret-that-is-at-least-32-bytes-long';
const ENCRYPTION_KEY = 'a-test-encryption-key-of-at-least-32-bytes';

function problemsOf(raw: RawEnvironment, dataDirectory: string): string[] {
  try {
    parseEnvironment(raw, { dataDirectory });
    return [];
  } catch (error) {
    if (error instanceof ConfigValidationError) {
      return error.problems;
    }
    throw error;
  }
}

function ecKeyPair(): { privateKey: KeyObject; publicKey: KeyObject } {
  return generateKeyPairSync('ec', { namedCurve: 'P-256' });
}

const pem = (key: KeyObject, type: 'pkcs8' | 'sec1' | 'pkcs1' | 'spki'): string =>
  key.export({ type, format: 'pem' } as never).toString();

describe('parseEnvironment: JWT_ALGORITHM and the signing keys', () => {
  let dataDirectory: string;

  beforeEach(() => {
    dataDirectory = mkdtempSync(join(tmpdir(), 'nest-auth-keys-'));
  });

  afterEach(() => {
    rmSync(dataDirectory, { recursive: true, force: true });
  });

  it('defaults to HS256 with no private key, no previous keys, no PUBLIC_URL or INTROSPECTION_TOKEN', () => {
    const config = parseEnvironment({ JWT_SECRET: SECRET }, { dataDirectory });

    expect(config.jwt).toMatchObject({
      algorithm: 'HS256',
      privateKey: undefined,
      privateKeyGenerated: false,
      previousPublicKeys: [],
    });
    expect(config.publicUrl).toBeUndefined();
    expect(config.introspectionToken).toBeUndefined();
  });

  it.each([
    ['ES256 PKCS#8', 'ES256', () => pem(ecKeyPair().privateKey, 'pkcs8')],
    ['ES256 SEC 1', 'ES256', () => pem(ecKeyPair().privateKey, 'sec1')],
    [
      'RS256 PKCS#1',
      'RS256',
      () => pem(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey, 'pkcs1'),
    ],
  ])(
    'accepts an inline %s private key in production without JWT_SECRET',
    (_case, algorithm, make) => {
      const privatePem = make();

      const config = parseEnvironment(
        {
          NODE_ENV: 'production',
          JWT_ALGORITHM: algorithm,
          JWT_PRIVATE_KEY: privatePem,
          ENCRYPTION_KEY,
        },
        { dataDirectory },
      );

      expect(config.jwt.algorithm).toBe(algorithm);
      expect(config.jwt.privateKey?.type).toBe('private');
      expect(config.jwt.secret).toBe('');
      expect(readdirSync(dataDirectory)).toEqual([]);
    },
  );

  it('accepts an inline key written on one line with \\n sequences', () => {
    const oneLine = pem(ecKeyPair().privateKey, 'pkcs8').replace(/\n/g, '\\n');

    const config = parseEnvironment(
      { JWT_ALGORITHM: 'ES256', JWT_PRIVATE_KEY: oneLine },
      { dataDirectory },
    );

    expect(config.jwt.privateKey?.asymmetricKeyType).toBe('ec');
  });

  it('reads JWT_PRIVATE_KEY_FILE and the previous public keys file', () => {
    const keyFile = join(dataDirectory, 'key.pem');
    const previousFile = join(dataDirectory, 'previous.pem');
    const [first, second] = [ecKeyPair(), ecKeyPair()];
    writeFileSync(keyFile, pem(ecKeyPair().privateKey, 'pkcs8'));
    writeFileSync(
      previousFile,
      `${pem(first.publicKey, 'spki')}\n${pem(second.publicKey, 'spki')}`,
    );

    const config = parseEnvironment(
      {
        JWT_ALGORITHM: 'ES256',
        JWT_PRIVATE_KEY_FILE: keyFile,
        JWT_PREVIOUS_PUBLIC_KEYS_FILE: previousFile,
      },
      { dataDirectory },
    );

    expect(config.jwt.previousPublicKeys.map((key) => pem(key, 'spki'))).toEqual([
      pem(first.publicKey, 'spki'),
      pem(second.publicKey, 'spki'),
    ]);
  });

  it('generates a development key under the data directory, warns, and reuses it next time', () => {
    const warnings: string[] = [];

    const first = parseEnvironment(
      { JWT_ALGORITHM: 'ES256', ENCRYPTION_KEY },
      { dataDirectory, warn: (message) => warnings.push(message) },
    );
    const second = parseEnvironment({ JWT_ALGORITHM: 'ES256', ENCRYPTION_KEY }, { dataDirectory });

    const file = join(dataDirectory, 'jwt-private-key-es256.pem');
    expect(first.jwt.privateKeyGenerated).toBe(true);
    expect(readFileSync(file, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(pem(createPublicKey(second.jwt.privateKey!), 'spki')).toBe(
      pem(createPublicKey(first.jwt.privateKey!), 'spki'),
    );
    expect(warnings).toEqual([expect.stringContaining('JWT_PRIVATE_KEY is not set')]);
    // No HMAC secret is generated for an asymmetric algorithm.
    expect(existsSync(join(dataDirectory, 'jwt-secret'))).toBe(false);
  });

  const rsa1024 = (): string =>
    pem(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey, 'pkcs8');
  it.each<[string, () => RawEnvironment, string]>([
    ['an unknown algorithm', () => ({ JWT_ALGORITHM: 'PS256' }), 'JWT_ALGORITHM'],
    [
      'production without a key',
      () => ({ NODE_ENV: 'production', JWT_ALGORITHM: 'ES256', ENCRYPTION_KEY }),
      'JWT_PRIVATE_KEY',
    ],
    [
      'a key that is no PEM',
      () => ({ JWT_ALGORITHM: 'ES256', JWT_PRIVATE_KEY: 'abc' }),
      'JWT_PRIVATE_KEY',
    ],
    [
      'an RSA key for ES256',
      () => ({ JWT_ALGORITHM: 'ES256', JWT_PRIVATE_KEY: rsa1024() }),
      'JWT_PRIVATE_KEY',
    ],
    [
      'an RSA key of 1024 bits',
      () => ({ JWT_ALGORITHM: 'RS256', JWT_PRIVATE_KEY: rsa1024() }),
      'JWT_PRIVATE_KEY',
    ],
    [
      'a public key as the private key',
      () => ({ JWT_ALGORITHM: 'ES256', JWT_PRIVATE_KEY: pem(ecKeyPair().publicKey, 'spki') }),
      'JWT_PRIVATE_KEY',
    ],
    [
      'both the inline key and the file',
      () => ({
        JWT_ALGORITHM: 'ES256',
        JWT_PRIVATE_KEY: pem(ecKeyPair().privateKey, 'pkcs8'),
        JWT_PRIVATE_KEY_FILE: '/nonexistent',
      }),
      'JWT_PRIVATE_KEY',
    ],
    [
      'a missing key file',
      () => ({ JWT_ALGORITHM: 'ES256', JWT_PRIVATE_KEY_FILE: '/nonexistent/key.pem' }),
      'JWT_PRIVATE_KEY_FILE',
    ],
    [
      'a missing previous keys file',
      () => ({ JWT_ALGORITHM: 'ES256', JWT_PREVIOUS_PUBLIC_KEYS_FILE: '/nonexistent/keys.pem' }),
      'JWT_PREVIOUS_PUBLIC_KEYS_FILE',
    ],
    [
      'a PUBLIC_URL that is not a URL',
      () => ({ JWT_SECRET: SECRET, PUBLIC_URL: 'api.example.com' }),
      'PUBLIC_URL',
    ],
    [
      'a PUBLIC_URL with a query',
      () => ({ JWT_SECRET: SECRET, PUBLIC_URL: 'https://a.example?x=1' }),
      'PUBLIC_URL',
    ],
  ])('refuses %s with one line naming the key, and writes no key', (_case, env, key) => {
    const problems = problemsOf(env(), dataDirectory);

    expect(problems).toEqual([expect.stringMatching(new RegExp(`^${key}: `))]);
    expect(readdirSync(dataDirectory)).toEqual([]);
  });

  it.each<[string, (file: string) => string]>([
    ['holds a private key', () => pem(ecKeyPair().privateKey, 'pkcs8')],
    [
      'holds an RSA key under ES256',
      () => pem(generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey, 'spki'),
    ],
    ['holds no key', () => 'nothing here'],
  ])('refuses a previous keys file that %s', (_case, content) => {
    const file = join(dataDirectory, 'previous.pem');
    writeFileSync(file, content(file));

    const problems = problemsOf(
      {
        JWT_ALGORITHM: 'ES256',
        JWT_PRIVATE_KEY: pem(ecKeyPair().privateKey, 'pkcs8'),
        JWT_PREVIOUS_PUBLIC_KEYS_FILE: file,
      },
      dataDirectory,
    );

    expect(problems).toEqual([expect.stringMatching(/^JWT_PREVIOUS_PUBLIC_KEYS_FILE: /)]);
  });

  it('keeps PUBLIC_URL without its trailing slash, and INTROSPECTION_TOKEN as given', () => {
    const config = parseEnvironment(
      {
        JWT_SECRET: SECRET,
        PUBLIC_URL: 'https://api.example.com/auth/',
        INTROSPECTION_TOKEN: 'tok',
      },
      { dataDirectory },
    );

    expect(config.publicUrl).toBe('https://api.example.com/auth');
    expect(config.introspectionToken).toBe('tok');
  });
});
