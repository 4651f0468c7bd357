import type { FastifyRequest } from 'fastify';
import { accessTokenOf, usesAccessTokenCookie } from './auth-cookies';
import { CSRF_TOKEN_MISMATCH, csrfRefusal } from './csrf-check';

const TOKEN = 'c3JmLXRva2VuLW9mLTMyLWJ5dGVzLWZvci10aGUtdGVzdHM';
const TRUSTED = new Set(['https://app.example.com']);

interface FakeRequest {
  method?: string;
  headers?: Record<string, string | undefined>;
  cookies?: Record<string, string | undefined>;
  protocol?: 'http' | 'https';
  host?: string;
}

/** Only what the checks read: method, headers, cookies, and the addressed scheme and host. */
function fakeRequest({
  method = 'POST',
  headers = { 'x-csrf-token': TOKEN },
  cookies = { csrf_token: TOKEN },
  protocol = 'https',
  host = 'api.example.com',
}: FakeRequest = {}): FastifyRequest {
  return { method, headers, cookies, protocol, host } as unknown as FastifyRequest;
}

describe('csrfRefusal', () => {
  it.each(['GET', 'HEAD', 'OPTIONS'])('lets %s through with no token and any Origin', (method) => {
    const request = fakeRequest({ method, headers: { origin: 'https://evil.example' } });

    expect(csrfRefusal(request, TRUSTED)).toBeNull();
  });

  it.each(['POST', 'PUT', 'PATCH', 'DELETE'])('lets %s through with the right token', (method) => {
    expect(csrfRefusal(fakeRequest({ method }), TRUSTED)).toBeNull();
  });

  it.each<[string, FakeRequest]>([
    ['no header', { headers: {} }],
    [
      'an empty header and an empty cookie',
      { headers: { 'x-csrf-token': '' }, cookies: { csrf_token: '' } },
    ],
    ['no cookie', { cookies: {} }],
    ['another token', { headers: { 'x-csrf-token': `${TOKEN.slice(0, -1)}X` } }],
    ['a prefix of the token', { headers: { 'x-csrf-token': TOKEN.slice(0, 10) } }],
    ['a longer token', { headers: { 'x-csrf-token': `${TOKEN}A` } }],
    ['a multi-byte lookalike', { headers: { 'x-csrf-token': `${TOKEN.slice(0, -1)}é` } }],
  ])('refuses a write with %s', (_what, overrides) => {
    expect(csrfRefusal(fakeRequest(overrides), TRUSTED)).toBe(CSRF_TOKEN_MISMATCH);
  });

  it.each<[string, string, FakeRequest?]>([
    ['a trusted origin', 'https://app.example.com'],
    ['its own origin', 'https://api.example.com'],
    [
      'its own origin with a port',
      'http://localhost:3000',
      { protocol: 'http', host: 'localhost:3000' },
    ],
    [
      'its own origin, default port left out',
      'https://api.example.com',
      { host: 'api.example.com:443' },
    ],
  ])('accepts %s', (_what, origin, overrides = {}) => {
    const request = fakeRequest({
      ...overrides,
      headers: { 'x-csrf-token': TOKEN, origin },
    });

    expect(csrfRefusal(request, TRUSTED)).toBeNull();
  });

  it.each<[string, string, FakeRequest?]>([
    ['a foreign origin', 'https://evil.example'],
    ['a trusted origin over http', 'http://app.example.com'],
    ['a suffix lookalike', 'https://app.example.com.evil.example'],
    ['a sibling subdomain', 'https://other.example.com'],
    ['an opaque origin', 'null'],
    [
      'its own host on another port',
      'http://localhost:4000',
      { protocol: 'http', host: 'localhost:3000' },
    ],
    ['its own host over http', 'http://api.example.com'],
  ])('refuses %s, even with the right token', (_what, origin, overrides = {}) => {
    const request = fakeRequest({
      ...overrides,
      headers: { 'x-csrf-token': TOKEN, origin },
    });

    expect(csrfRefusal(request, TRUSTED)).toBe(
      `Origin ${origin} may not send requests authenticated by cookies`,
    );
  });
});

describe('accessTokenOf', () => {
  const cookie = { access_token: 'cookie.jwt.token' };

  it.each<[string, Record<string, string>, Record<string, string>, string | null]>([
    ['the bearer token', { authorization: 'Bearer header.jwt.token' }, cookie, 'header.jwt.token'],
    ['the cookie without an Authorization header', {}, cookie, 'cookie.jwt.token'],
    [
      'nothing for a malformed header, the cookie notwithstanding',
      { authorization: 'Basic abc' },
      cookie,
      null,
    ],
    ['nothing for an empty header', { authorization: '' }, cookie, null],
    ['nothing for an empty cookie', {}, { access_token: '' }, null],
    ['nothing without either', {}, {}, null],
  ])('takes %s', (_what, headers, cookies, expected) => {
    const request = fakeRequest({ headers, cookies });

    expect(accessTokenOf(request)).toBe(expected);
    expect(usesAccessTokenCookie(request)).toBe(expected === 'cookie.jwt.token');
  });
});
