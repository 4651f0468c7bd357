import { VerifiedTokenCache } from './verified-token-cache';

const NOW = 1_700_000_000;

/** A cache whose clock the test moves by hand. */
function cacheAt(
  start = NOW,
  maxEntries = 3,
): { cache: VerifiedTokenCache; setNow: (s: number) => void } {
  let now = start;
  return {
    cache: new VerifiedTokenCache(maxEntries, () => now),
    setNow: (seconds) => {
      now = seconds;
    },
  };
}

describe(VerifiedTokenCache.name, () => {
  it('returns what it remembered for the same token text', () => {
    const { cache } = cacheAt();
    const payload = cache.remember('token-a', { sub: 'u1', exp: NOW + 60 });

    expect(cache.get('token-a')).toBe(payload);
    expect(cache.get('token-a')).toEqual({ sub: 'u1', exp: NOW + 60 });
  });

  it('knows nothing of a token it was not given', () => {
    const { cache } = cacheAt();
    cache.remember('token-a', { exp: NOW + 60 });

    expect(cache.get('token-b')).toBeUndefined();
    expect(cache.get('token-a ')).toBeUndefined();
    expect(cache.get('TOKEN-A')).toBeUndefined();
  });

  it('freezes the payload it hands back, so no request can change it for the next', () => {
    const { cache } = cacheAt();
    const payload = cache.remember('token-a', { sub: 'u1', exp: NOW + 60 });

    expect(Object.isFrozen(payload)).toBe(true);
    expect(() => {
      (payload as Record<string, unknown>).sub = 'u2';
    }).toThrow(TypeError);
  });

  it.each([
    ['one second before exp', NOW + 59, true],
    ['half a second before exp', NOW + 59.5, true],
    ['at exp', NOW + 60, false],
    ['after exp', NOW + 3600, false],
  ])('at %s the entry is %s', (_label, now, expected) => {
    const { cache, setNow } = cacheAt();
    cache.remember('token-a', { exp: NOW + 60 });
    setNow(now);

    expect(cache.get('token-a') !== undefined).toBe(expected);
  });

  it('forgets an expired entry once asked for it', () => {
    const { cache, setNow } = cacheAt();
    cache.remember('token-a', { exp: NOW + 60 });
    setNow(NOW + 60);

    expect(cache.get('token-a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it.each([
    ['nbf in the past', NOW - 10, true],
    ['nbf now', NOW, true],
    ['nbf in the future', NOW + 10, false],
    ['nbf not a number', 'soon', false],
  ])('with %s the entry is %s', (_label, nbf, expected) => {
    const { cache } = cacheAt();
    cache.remember('token-a', { exp: NOW + 60, nbf });

    expect(cache.get('token-a') !== undefined).toBe(expected);
  });

  it.each([
    ['no exp', {}],
    ['a string exp', { exp: String(NOW + 60) }],
    ['an exp already past', { exp: NOW - 1 }],
    ['an exp of now', { exp: NOW }],
  ])('does not keep a token with %s', (_label, payload) => {
    const { cache } = cacheAt();
    const returned = cache.remember('token-a', payload);

    expect(returned).toEqual(payload);
    expect(cache.size).toBe(0);
    expect(cache.get('token-a')).toBeUndefined();
  });

  it('evicts the oldest entry once full, and only one', () => {
    const { cache } = cacheAt(NOW, 3);
    for (const token of ['t1', 't2', 't3', 't4']) {
      cache.remember(token, { exp: NOW + 60 });
    }

    expect(cache.size).toBe(3);
    expect(cache.get('t1')).toBeUndefined();
    expect(cache.get('t2')).toBeDefined();
    expect(cache.get('t4')).toBeDefined();
  });

  it('does not evict anything when a token already held is remembered again', () => {
    const { cache } = cacheAt(NOW, 2);
    cache.remember('t1', { exp: NOW + 60 });
    cache.remember('t2', { exp: NOW + 60 });
    cache.remember('t2', { exp: NOW + 60 });

    expect(cache.size).toBe(2);
    expect(cache.get('t1')).toBeDefined();
  });
});
