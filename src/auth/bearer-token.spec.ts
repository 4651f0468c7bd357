import type { IncomingHttpHeaders } from 'node:http';
import { extractBearerToken, presentedBearerToken } from './bearer-token';

const JWT = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjMifQ.c2lnbmF0dXJlLWJ5dGVzLWhlcmUtYW5kLW1vcmU_-';

const headers = (authorization?: string | string[]): IncomingHttpHeaders =>
  ({ authorization }) as IncomingHttpHeaders;

describe('extractBearerToken', () => {
  it.each([
    ['Bearer', `Bearer ${JWT}`],
    ['lower-case bearer', `bearer ${JWT}`],
    ['upper-case BEARER', `BEARER ${JWT}`],
    ['mixed-case BeArEr', `BeArEr ${JWT}`],
  ])('returns the token of a %s header', (_what, header) => {
    expect(extractBearerToken(headers(header))).toBe(JWT);
  });

  it.each([
    ['a token with b64 padding', 'abc.def.ghi=='],
    ['a token with every b64token character', 'aZ09-._~+/'],
  ])('returns %s', (_what, token) => {
    expect(extractBearerToken(headers(`Bearer ${token}`))).toBe(token);
  });

  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['the scheme alone', 'Bearer'],
    ['the scheme and a space', 'Bearer '],
    ['two spaces', `Bearer  ${JWT}`],
    ['a tab instead of the space', `Bearer\t${JWT}`],
    ['a leading space', ` Bearer ${JWT}`],
    ['a trailing space', `Bearer ${JWT} `],
    ['a trailing newline', `Bearer ${JWT}\n`],
    ['a second word', `Bearer ${JWT} extra`],
    ['two tokens separated by a comma', `Bearer ${JWT}, Bearer ${JWT}`],
    ['the Basic scheme', 'Basic dXNlcjpwYXNz'],
    ['the Token scheme', `Token ${JWT}`],
    ['a scheme glued to the token', `Bearer${JWT}`],
    ['no scheme', JWT],
    ['a colon after the scheme', `Bearer: ${JWT}`],
    ['quotes around the token', `Bearer "${JWT}"`],
    ['padding in the middle', 'Bearer abc=def'],
    ['non-ASCII characters', 'Bearer tökén'],
    ['a NUL byte', `Bearer ${JWT}\u0000`],
    ['an array of headers', [`Bearer ${JWT}`, `Bearer ${JWT}`]],
  ])('returns null for %s', (_what, header) => {
    expect(extractBearerToken(headers(header))).toBeNull();
  });
});

describe('presentedBearerToken', () => {
  it.each([`Bearer ${JWT}`, 'bearer x', 'Bearer  two-spaces', 'BEARER\tx'])(
    'is true when a bearer token was presented (%j)',
    (header) => {
      expect(presentedBearerToken(headers(header))).toBe(true);
    },
  );

  it.each([undefined, '', 'Bearer', 'Basic abc', 'Bearerx', JWT])(
    'is false when no bearer token was presented (%j)',
    (header) => {
      expect(presentedBearerToken(headers(header))).toBe(false);
    },
  );
});
