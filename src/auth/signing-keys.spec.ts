import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint } from 'jose';
import jwt from 'jsonwebtoken';
import { Strategy } from 'passport-jwt';
import { AppConfig, type JwtSettings } from '../config/app-config';
import { SigningKeys } from './signing-keys';
import { cacheVerifiedTokens } from './strategies/cached-jwt-verifier';
import { VerifiedTokenCache } from './verified-token-cache';

type Verifier = (
  token: string,
  key: unknown,
  options: unknown,
  callback: (error: Error | null, payload?: unknown) => void,
) => void;

function configWith(jwtSettings: Partial<JwtSettings>): AppConfig {
  return AppConfig.from({
    jwt: {
      algorithm: 'HS256',
      secret: 'a secret of more than thirty-two bytes, for HS256',
      secretGenerated: false,
      privateKeyGenerated: false,
      previousPublicKeys: [],
      accessTtlSeconds: 900,
      refreshTtlSeconds: 3600,
      issuer: 'nest-auth',
      audience: 'nest-auth-api',
      ...jwtSettings,
    },
  } as unknown as Parameters<typeof AppConfig.from>[0]);
}

const ecKey = (): KeyObject => generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;

describe(SigningKeys.name, () => {
  it('uses the HMAC key for HS256, with no kid and no JWKS', async () => {
    const keys = await SigningKeys.create(configWith({}));
    const token = jwt.sign({ sub: 'u1' }, keys.signingKey, { algorithm: 'HS256' });

    expect(keys.keyId).toBeUndefined();
    expect(keys.jwks).toBeUndefined();
    expect(keys.verificationKeyFor(token)).toBe(keys.signingKey);
    expect(keys.verificationKeyFor(jwt.sign({}, ecKey(), { algorithm: 'ES256' }))).toBeUndefined();
  });

  it('lists the current key first, then each previous key once, by RFC 7638 thumbprint', async () => {
    const [current, previous] = [ecKey(), ecKey()];
    const keys = await SigningKeys.create(
      configWith({
        algorithm: 'ES256',
        privateKey: current,
        // The current key listed as a previous one too, and a previous key twice: one entry each.
        previousPublicKeys: [
          createPublicKey(previous),
          createPublicKey(current),
          createPublicKey(previous),
        ],
      }),
    );

    const kids = await Promise.all(
      [current, previous].map((key) => calculateJwkThumbprint(createPublicKey(key), 'sha256')),
    );
    expect(keys.keyId).toBe(kids[0]);
    expect(keys.jwks?.keys.map((key) => key.kid)).toEqual(kids);
    expect(keys.jwks?.keys[0]).toEqual({
      kty: 'EC',
      crv: 'P-256',
      x: expect.any(String),
      y: expect.any(String),
      kid: kids[0],
      alg: 'ES256',
      use: 'sig',
    });
  });

  it('picks the key by kid, the same KeyObject every time, and refuses other kids and algorithms', async () => {
    const [current, previous] = [ecKey(), ecKey()];
    const keys = await SigningKeys.create(
      configWith({
        algorithm: 'ES256',
        privateKey: current,
        previousPublicKeys: [createPublicKey(previous)],
      }),
    );
    const previousKid = keys.jwks?.keys[1].kid;
    const byPrevious = jwt.sign({}, previous, { algorithm: 'ES256', keyid: previousKid });

    const first = keys.verificationKeyFor(byPrevious);

    expect(first?.type).toBe('public');
    expect(keys.verificationKeyFor(byPrevious)).toBe(first);
    expect(
      keys.verificationKeyFor(jwt.sign({}, previous, { algorithm: 'ES256', keyid: 'nope' })),
    ).toBeUndefined();
    expect(keys.verificationKeyFor(jwt.sign({}, previous, { algorithm: 'ES256' }))).toBeUndefined();
    expect(
      keys.verificationKeyFor(
        jwt.sign({}, 'x'.repeat(32), { algorithm: 'HS256', keyid: previousKid }),
      ),
    ).toBeUndefined();
    expect(keys.verificationKeyFor('not.a.token')).toBeUndefined();
    expect(keys.verificationKeyFor('')).toBeUndefined();
  });

  it('keeps the verified-token cache working for ES256 keys', async () => {
    const privateKey = ecKey();
    const keys = await SigningKeys.create(configWith({ algorithm: 'ES256', privateKey }));
    const cache = new VerifiedTokenCache();
    cacheVerifiedTokens(keys.verificationKeys[0], cache);
    const token = jwt.sign({ sub: 'u1' }, privateKey, {
      algorithm: 'ES256',
      keyid: keys.keyId,
      expiresIn: 60,
    });
    const verifier = (Strategy as unknown as { JwtVerifier: Verifier }).JwtVerifier;
    const verify = (): Promise<unknown> =>
      new Promise((resolve, reject) => {
        verifier(
          token,
          keys.verificationKeyFor(token),
          { algorithms: ['ES256'] },
          (error, payload) => (error ? reject(error) : resolve(payload)),
        );
      });

    const first = await verify();
    const second = await verify();

    expect(first).toMatchObject({ sub: 'u1' });
    expect(second).toBe(first);
    expect(cache.size).toBe(1);
  });
});
