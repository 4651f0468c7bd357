import { hasAccessTokenClaims } from './access-token-claims';

const valid = {
  sub: '3f1c2b5e-8a0d-4c6e-9f5b-2d7e1a9c4b10',
  username: 'ada',
  sid: '0b4d7c8e-1f2a-4b3c-8d9e-0f1a2b3c4d5e',
  jti: 'c6a7d0f4-3b2e-4f1a-9c8d-7e6f5a4b3c2d',
  iat: 1_700_000_000,
  exp: 1_700_000_900,
  iss: 'nest-auth',
  aud: 'nest-auth-api',
};

describe('hasAccessTokenClaims', () => {
  it('accepts the claims this server writes', () => {
    expect(hasAccessTokenClaims(valid)).toBe(true);
  });

  it.each([[['pwd']], [['pwd', 'otp']]])('accepts amr %j', (amr) => {
    expect(hasAccessTokenClaims({ ...valid, amr })).toBe(true);
  });

  it('accepts a token without amr (issued before it existed, still in flight)', () => {
    expect(hasAccessTokenClaims(valid)).toBe(true);
  });

  it('accepts upper-case UUIDs', () => {
    expect(
      hasAccessTokenClaims({
        ...valid,
        sub: valid.sub.toUpperCase(),
        sid: valid.sid.toUpperCase(),
      }),
    ).toBe(true);
  });

  it.each([null, undefined, 'a string', 42, true, []])('refuses the payload %j', (payload) => {
    expect(hasAccessTokenClaims(payload)).toBe(false);
  });

  it.each(Object.keys(valid))('refuses claims without %s', (claim) => {
    const claims: Record<string, unknown> = { ...valid };
    delete claims[claim];

    expect(hasAccessTokenClaims(claims)).toBe(false);
  });

  it.each([
    ['sub', 42],
    ['sub', 'not-a-uuid'],
    ['sub', "' OR 1=1 --"],
    ['sub', `${valid.sub} `],
    ['sub', `${valid.sub}\n`],
    ['sub', valid.sub.replace(/-/g, '')],
    ['sub', { $ne: null }],
    ['sub', [valid.sub]],
    ['sid', 'not-a-uuid'],
    ['sid', null],
    ['sid', 1],
    ['username', 7],
    ['username', null],
    ['jti', 12345],
    ['iat', '1700000000'],
    ['exp', '1700000900'],
    ['exp', null],
    ['iss', ['nest-auth']],
    ['aud', ['nest-auth-api']],
    ['aud', 1],
    ['amr', 'pwd'],
    ['amr', null],
    ['amr', [1]],
    ['amr', { 0: 'pwd' }],
  ])('refuses %s = %j', (claim, value) => {
    expect(hasAccessTokenClaims({ ...valid, [claim]: value })).toBe(false);
  });
});
