import { createSecretKey, type KeyObject } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { Strategy } from 'passport-jwt';
import { VerifiedTokenCache } from '../verified-token-cache';
import { cacheVerifiedTokens } from './cached-jwt-verifier';

type Verifier = (
  token: string,
  key: unknown,
  options: unknown,
  callback: (error: Error | null, payload?: unknown) => void,
) => void;

const OPTIONS = { algorithms: ['HS256'], issuer: 'nest-auth', audience: 'nest-auth-api' };
const NOW_MS = 1_700_000_000_000;

/** passport-jwt's verifier, called as the strategy calls it, as a promise. */
function verify(token: string, key: unknown): Promise<unknown> {
  const verifier = (Strategy as unknown as { JwtVerifier: Verifier }).JwtVerifier;
  return new Promise((resolve, reject) => {
    verifier(token, key, OPTIONS, (error, payload) => (error ? reject(error) : resolve(payload)));
  });
}

function sign(key: KeyObject | string, claims: object = {}, expiresIn = 60): string {
  return jwt.sign({ sub: 'u1', ...claims }, key as unknown as Buffer, {
    algorithm: 'HS256',
    issuer: 'nest-auth',
    audience: 'nest-auth-api',
    expiresIn,
  });
}

describe('cacheVerifiedTokens', () => {
  let key: KeyObject;
  let cache: VerifiedTokenCache;

  beforeEach(() => {
    jest.useFakeTimers({ now: NOW_MS });
    key = createSecretKey(Buffer.from('a secret of more than thirty-two bytes, for HS256'));
    cache = new VerifiedTokenCache();
    cacheVerifiedTokens(key, cache);
  });

  afterEach(() => {
    jest.useRealTimers();
  });

  it('verifies a token in full once, then answers from the cache with the same payload', async () => {
    const token = sign(key);

    const first = await verify(token, key);
    const second = await verify(token, key);

    expect(first).toMatchObject({ sub: 'u1', iss: 'nest-auth', aud: 'nest-auth-api' });
    expect(second).toBe(first);
    expect(cache.size).toBe(1);
  });

  it('refuses a token whose signature was altered, even when the original is cached', async () => {
    const token = sign(key);
    await verify(token, key);
    // A character in the middle of the signature: the last one can carry only padding bits.
    const at = token.length - 10;
    const altered = `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;

    await expect(verify(altered, key)).rejects.toThrow('invalid signature');
    expect(cache.size).toBe(1);
  });

  it('refuses a cached token once it expires', async () => {
    const token = sign(key, {}, 60);
    await verify(token, key);

    jest.setSystemTime(NOW_MS + 60_000);

    await expect(verify(token, key)).rejects.toThrow('jwt expired');
    expect(cache.size).toBe(0);
  });

  it('does not remember a token jsonwebtoken refused', async () => {
    const otherKey = createSecretKey(Buffer.from('another secret, also long enough for HS256'));
    const token = sign(otherKey);

    await expect(verify(token, key)).rejects.toThrow('invalid signature');
    expect(cache.size).toBe(0);
  });

  it('refuses a token for another audience, and does not remember it', async () => {
    const token = jwt.sign({ sub: 'u1' }, key as unknown as Buffer, {
      algorithm: 'HS256',
      issuer: 'nest-auth',
      audience: 'someone-else',
      expiresIn: 60,
    });

    await expect(verify(token, key)).rejects.toThrow('jwt audience invalid');
    expect(cache.size).toBe(0);
  });

  it('verifies tokens for a key that was never registered exactly as passport-jwt does', async () => {
    const secret = 'a string secret that no strategy registered, long enough';
    const token = sign(secret);

    await expect(verify(token, secret)).resolves.toMatchObject({ sub: 'u1' });
    await expect(verify(token, secret)).resolves.toMatchObject({ sub: 'u1' });
    expect(cache.size).toBe(0);
  });

  it('keeps the caches of two keys apart', async () => {
    const otherKey = createSecretKey(Buffer.from('another secret, also long enough for HS256'));
    const otherCache = new VerifiedTokenCache();
    cacheVerifiedTokens(otherKey, otherCache);
    const token = sign(key);

    await verify(token, key);
    await expect(verify(token, otherKey)).rejects.toThrow('invalid signature');

    expect(cache.size).toBe(1);
    expect(otherCache.size).toBe(0);
  });
});
