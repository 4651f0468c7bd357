import { createHmac, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { calculateJwkThumbprint, createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import jwt from 'jsonwebtoken';
import { SigningKeys } from '../src/auth/signing-keys';
import type { AsymmetricJwtAlgorithm } from '../src/config/signing-key-material';
import { bearer, login } from './support/auth-helpers';
import {
  createTestApp,
  TEST_JWT_AUDIENCE,
  TEST_JWT_ISSUER,
  testDatabaseUrl,
  type TestApp,
} from './support/create-test-app';
import { createUser, type TestUser } from './support/factories/user.factory';

const ME = '/api/v1/users/me';
const JWKS = '/.well-known/jwks.json';
const INTROSPECTION_TOKEN = 'introspection-token-for-the-key-tests';
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

function generatePrivateKey(algorithm: AsymmetricJwtAlgorithm): KeyObject {
  return algorithm === 'RS256'
    ? generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey
    : generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}

const privatePem = (key: KeyObject): string =>
  key.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicPem = (key: KeyObject): string =>
  createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString();
const base64url = (value: object | string): string =>
  Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

/** A JWT assembled by hand, so that any header and any signing can be tried. */
function handMadeToken(header: object, claims: object, sign: (input: string) => string): string {
  const input = `${base64url(header)}.${base64url(claims)}`;
  return `${input}.${sign(input)}`;
}

/** An app on a loopback port, so that jose's createRemoteJWKSet can fetch the JWKS over HTTP. */
async function startListening(
  env: Record<string, string>,
): Promise<{ app: TestApp; base: string }> {
  const app = await createTestApp({ INTROSPECTION_TOKEN, AUTH_RATE_LIMIT: '1000', ...env });
  await app.app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.app.getHttpServer().address();
  if (address === null || typeof address === 'string') {
    throw new Error('not listening on a port');
  }
  return { app, base: `http://127.0.0.1:${address.port}` };
}

describe.each<AsymmetricJwtAlgorithm>(['RS256', 'ES256'])(
  `${SigningKeys.name} with %s`,
  (algorithm) => {
    let privateKey: KeyObject;
    let testApp: TestApp;
    let base: string;
    let testUser: TestUser;

    beforeAll(async () => {
      privateKey = generatePrivateKey(algorithm);
      ({ app: testApp, base } = await startListening({
        JWT_ALGORITHM: algorithm,
        JWT_PRIVATE_KEY: privatePem(privateKey),
        // Not needed, and not used: an HS256 token made with it must be refused too.
        JWT_SECRET: '',
      }));
      testUser = await createUser(testApp.dataSource);
    });

    afterAll(async () => {
      await testApp.close();
    });

    it('signs access tokens whose header has the alg and the RFC 7638 thumbprint as kid', async () => {
      const { access_token } = await login(testApp, testUser);

      const header = decodeProtectedHeader(access_token);

      expect(header).toEqual({
        alg: algorithm,
        typ: 'JWT',
        kid: await calculateJwkThumbprint(createPublicKey(privateKey), 'sha256'),
      });
    });

    it("issues tokens that jose's createRemoteJWKSet verifies against the served JWKS", async () => {
      const { access_token } = await login(testApp, testUser);
      const jwks = createRemoteJWKSet(new URL(`${base}${JWKS}`));

      const { payload } = await jwtVerify(access_token, jwks, {
        issuer: TEST_JWT_ISSUER,
        audience: TEST_JWT_AUDIENCE,
        algorithms: [algorithm],
      });

      expect(payload).toMatchObject({ sub: testUser.user.id, username: testUser.user.username });
    });

    it('accepts its tokens on guarded routes and in introspection', async () => {
      const { access_token } = await login(testApp, testUser);

      const me = await testApp.http().get(ME).set(bearer(access_token));
      const introspection = await testApp
        .http()
        .post('/api/v1/auth/introspect')
        .set(bearer(INTROSPECTION_TOKEN))
        .send({ token: access_token });

      expect(me.status).toBe(200);
      expect(introspection.body).toMatchObject({ active: true, sub: testUser.user.id });
    });

    it('serves the public key as a JWK with kid, alg and use, nothing private, cacheable for at most 600 s', async () => {
      const response = await testApp.http().get(JWKS);

      expect(response.status).toBe(200);
      const maxAge = /^public, max-age=(\d+)$/.exec(String(response.headers['cache-control']));
      expect(Number(maxAge?.[1])).toBeGreaterThan(0);
      expect(Number(maxAge?.[1])).toBeLessThanOrEqual(600);
      const { keys } = response.body as { keys: Record<string, unknown>[] };
      expect(keys).toHaveLength(1);
      expect(keys[0]).toMatchObject({
        kid: await calculateJwkThumbprint(createPublicKey(privateKey), 'sha256'),
        alg: algorithm,
        use: 'sig',
        kty: algorithm === 'RS256' ? 'RSA' : 'EC',
      });
      for (const member of PRIVATE_MEMBERS) {
        expect(keys[0]).not.toHaveProperty(member);
      }
    });

    it('lists jwks_uri in the metadata', async () => {
      const response = await testApp.http().get('/.well-known/oauth-authorization-server');

      expect(response.body).toMatchObject({
        jwks_uri: expect.stringMatching(/\/\.well-known\/jwks\.json$/),
      });
    });

    describe('refuses with 401', () => {
      let claims: Record<string, unknown>;
      let kid: string;

      beforeAll(async () => {
        const { access_token } = await login(testApp, testUser);
        claims = jwt.decode(access_token) as Record<string, unknown>;
        kid = decodeProtectedHeader(access_token).kid ?? '';
      });

      async function expectRefused(token: string): Promise<void> {
        const me = await testApp.http().get(ME).set(bearer(token));
        const introspection = await testApp
          .http()
          .post('/api/v1/auth/introspect')
          .set(bearer(INTROSPECTION_TOKEN))
          .send({ token });

        expect(me.status).toBe(401);
        expect(me.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
        expect(introspection.body).toEqual({ active: false });
      }

      it('an HS256 token whose HMAC key is the public key (algorithm confusion)', async () => {
        for (const secret of [
          publicPem(privateKey),
          JSON.stringify((await testApp.http().get(JWKS)).body.keys[0]),
        ]) {
          const token = handMadeToken({ alg: 'HS256', typ: 'JWT', kid }, claims, (input) =>
            createHmac('sha256', secret).update(input).digest('base64url'),
          );

          await expectRefused(token);
        }
      });

      it('a token signed by another key, with that key as kid', async () => {
        const otherKey = generatePrivateKey(algorithm);
        const token = jwt.sign(claims, otherKey, {
          algorithm,
          keyid: await calculateJwkThumbprint(createPublicKey(otherKey), 'sha256'),
        });

        await expectRefused(token);
      });

      it('a token signed by another key, claiming the real kid', async () => {
        const token = jwt.sign(claims, generatePrivateKey(algorithm), { algorithm, keyid: kid });

        await expectRefused(token);
      });

      it('a token signed by the right key with an unknown kid, or none', async () => {
        await expectRefused(jwt.sign(claims, privateKey, { algorithm, keyid: 'unknown-kid' }));
        await expectRefused(jwt.sign(claims, privateKey, { algorithm }));
      });

      it('alg "none"', async () => {
        await expectRefused(handMadeToken({ alg: 'none', typ: 'JWT', kid }, claims, () => ''));
      });
    });
  },
);

describe(`${SigningKeys.name} rotation across a restart`, () => {
  let directory: string;

  beforeAll(() => {
    directory = mkdtempSync(join(tmpdir(), 'nest-auth-rotation-'));
  });

  afterAll(() => {
    rmSync(directory, { recursive: true, force: true });
  });

  it('keeps tokens of a previous key working while it is listed, then refuses them', async () => {
    const databaseUrl = testDatabaseUrl();
    const [oldKey, newKey] = [generatePrivateKey('ES256'), generatePrivateKey('ES256')];
    const previousFile = join(directory, 'previous.pem');
    writeFileSync(previousFile, publicPem(oldKey));
    const settings = (key: KeyObject, previous?: string) => ({
      DATABASE_URL: databaseUrl,
      JWT_ALGORITHM: 'ES256',
      JWT_PRIVATE_KEY: privatePem(key),
      ...(previous === undefined ? {} : { JWT_PREVIOUS_PUBLIC_KEYS_FILE: previous }),
    });
    const [oldKid, newKid] = await Promise.all(
      [oldKey, newKey].map((key) => calculateJwkThumbprint(createPublicKey(key), 'sha256')),
    );

    const before = await createTestApp(settings(oldKey));
    const testUser = await createUser(before.dataSource);
    const oldTokens = await login(before, testUser);
    await before.close();

    const during = await createTestApp(settings(newKey, previousFile));
    try {
      const newTokens = await login(during, testUser);
      const jwks = (await during.http().get(JWKS)).body as { keys: { kid: string }[] };

      expect(decodeProtectedHeader(newTokens.access_token).kid).toBe(newKid);
      expect(jwks.keys.map((key) => key.kid)).toEqual([newKid, oldKid]);
      expect((await during.http().get(ME).set(bearer(oldTokens.access_token))).status).toBe(200);
      expect((await during.http().get(ME).set(bearer(newTokens.access_token))).status).toBe(200);
    } finally {
      await during.close();
    }

    const after = await createTestApp(settings(newKey));
    try {
      const jwks = (await after.http().get(JWKS)).body as { keys: { kid: string }[] };

      expect(jwks.keys.map((key) => key.kid)).toEqual([newKid]);
      expect((await after.http().get(ME).set(bearer(oldTokens.access_token))).status).toBe(401);
    } finally {
      await after.close();
    }
  });
});
