import { JwtStrategy } from '../src/auth/strategies/jwt.strategy';
import jwt, { type SignOptions } from 'jsonwebtoken';
import { bearer, login } from './support/auth-helpers';
import {
  createTestApp,
  TEST_JWT_AUDIENCE,
  TEST_JWT_ISSUER,
  TEST_JWT_SECRET,
  type TestApp,
} from './support/create-test-app';
import { createUser } from './support/factories/user.factory';

interface Claims {
  sub: string;
  sid: string;
  username: string;
}

describe(JwtStrategy.name, () => {
  let testApp: TestApp;
  let claims: Claims;
  let refreshToken: string;

  beforeAll(async () => {
    testApp = await createTestApp();
    const tokens = await login(testApp, await createUser(testApp.dataSource));
    refreshToken = tokens.refresh_token;
    const decoded = jwt.decode(tokens.access_token) as Claims;
    claims = { sub: decoded.sub, sid: decoded.sid, username: decoded.username };
  });

  afterAll(async () => {
    await testApp.close();
  });

  /** Signs like the server; an option set to undefined is left out altogether. */
  const sign = (
    payload: Record<string, unknown> = {},
    options: SignOptions = {},
    key: string = TEST_JWT_SECRET,
  ): string => {
    const merged: SignOptions = {
      algorithm: 'HS256',
      expiresIn: 60,
      issuer: TEST_JWT_ISSUER,
      audience: TEST_JWT_AUDIENCE,
      subject: claims.sub,
      ...options,
    };
    const defined = Object.fromEntries(
      Object.entries(merged).filter(([, value]) => value !== undefined),
    ) as SignOptions;
    return jwt.sign(
      { username: claims.username, sid: claims.sid, jti: 'j', ...payload },
      key,
      defined,
    );
  };

  const me = (token: string) => testApp.http().get('/api/v1/users/me').set(bearer(token));

  it('accepts a token signed with the key, HS256, the issuer and the audience', async () => {
    expect((await me(sign())).status).toBe(200);
  });

  it.each<[string, () => string]>([
    ['alg "none"', () => `${sign().split('.').slice(0, 2).join('.')}.`],
    [
      'alg "none" in the header',
      () => {
        const [, payload] = sign().split('.');
        const header = Buffer.from('{"alg":"none","typ":"JWT"}').toString('base64url');
        return `${header}.${payload}.`;
      },
    ],
    ['another HMAC algorithm (HS512) with the same key', () => sign({}, { algorithm: 'HS512' })],
    ['a wrong key', () => sign({}, {}, 'another-secret-of-at-least-32-bytes-long!')],
    [
      'a tampered payload',
      () => {
        const [header, , signature] = sign().split('.');
        const payload = Buffer.from(
          JSON.stringify({ ...(jwt.decode(sign()) as object), username: 'admin' }),
        ).toString('base64url');
        return `${header}.${payload}.${signature}`;
      },
    ],
    [
      'an expired token',
      () => sign({ exp: Math.floor(Date.now() / 1000) - 10 }, { expiresIn: undefined }),
    ],
    ['no exp', () => sign({}, { expiresIn: undefined })],
    ['a future nbf', () => sign({}, { notBefore: 3600 })],
    ['a wrong issuer', () => sign({}, { issuer: 'someone-else' })],
    ['a wrong audience', () => sign({}, { audience: 'another-api' })],
    ['no sid', () => sign({ sid: undefined })],
    ['a sub that is not a UUID', () => sign({}, { subject: "1' OR '1'='1" })],
    ['an unknown session', () => sign({ sid: '00000000-0000-4000-8000-000000000000' })],
    ['the refresh token', () => refreshToken],
  ])('refuses %s with 401 and error="invalid_token"', async (_what, makeToken) => {
    const response = await me(makeToken());

    expect(response.status).toBe(401);
    expect(response.headers['www-authenticate']).toBe('Bearer error="invalid_token"');
  });
});
