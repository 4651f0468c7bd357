import fc from 'fast-check';
import { unsafeInputProblems } from './input-safety';

const NUL = 'must not contain a NUL character (\\u0000)';
const SURROGATE = 'must be valid Unicode text (it contains a lone UTF-16 surrogate)';

/** Any text a client may legitimately send: every code point but U+0000, as UTF-16. */
const safeText = fc.string({ unit: 'grapheme' }).filter((text) => !text.includes('\u0000'));

describe('unsafeInputProblems', () => {
  it.each([
    ['a NUL in a field', { username: 'ad\u0000min' }, [`username ${NUL}`]],
    ['a NUL alone', { password: '\u0000' }, [`password ${NUL}`]],
    ['a lone high surrogate', { password: 'x\ud800y' }, [`password ${SURROGATE}`]],
    ['a lone low surrogate', { password: '\udc00' }, [`password ${SURROGATE}`]],
    ['a reversed pair', { password: '\udc00\ud800' }, [`password ${SURROGATE}`]],
    ['a NUL deep inside', { a: [{ b: 'x\u0000' }] }, [`a.0.b ${NUL}`]],
    ['a NUL in a field name', { 'na\u0000me': 'x' }, [`a field name in the body ${NUL}`]],
    ['a field named constructor', { constructor: 'x' }, ['property constructor should not exist']],
    ['a field named toString', { toString: 'x' }, ['property toString should not exist']],
    [
      'a nested valueOf',
      { fullName: { valueOf: 1 } },
      ['property fullName.valueOf should not exist'],
    ],
    ['a bad string as the whole body', 'x\u0000', [`the body ${NUL}`]],
  ])('reports %s', (_what, value, expected) => {
    expect(unsafeInputProblems(value, 'the body')).toEqual(expected);
  });

  it('reports an own __proto__ field, as a query-string parser makes one', () => {
    const query = Object.create(null) as Record<string, string>;
    Object.defineProperty(query, '__proto__', { value: '1', enumerable: true });

    expect(unsafeInputProblems(query, 'the query string')).toEqual([
      'property __proto__ should not exist',
    ]);
  });

  it.each([
    ['undefined', undefined],
    ['null', null],
    ['a number', 42],
    ['an emoji (a well-formed pair)', { password: 'lantern 🦊 orbit' }],
    ['accents in both forms', { email: 'élodie@example.com', fullName: 'e\u0301lodie' }],
    ['an array of strings', { roles: ['user', 'admin'] }],
  ])('accepts %s', (_what, value) => {
    expect(unsafeInputProblems(value, 'the body')).toEqual([]);
  });

  it('accepts any text without NUL or lone surrogates, in any JSON shape', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('a', 'b', 'title'), safeText), (body) => {
        expect(unsafeInputProblems(body, 'the body')).toEqual([]);
      }),
    );
  });

  it('refuses any text with a NUL inserted anywhere', () => {
    fc.assert(
      fc.property(safeText, fc.nat(), (text, at) => {
        const position = at % (text.length + 1);
        const bad = `${text.slice(0, position)}\u0000${text.slice(position)}`;
        expect(unsafeInputProblems({ field: bad }, 'the body')).toEqual([`field ${NUL}`]);
      }),
    );
  });

  it('walks a body nested 50,000 arrays deep without overflowing the stack', () => {
    const deep = JSON.parse(`${'['.repeat(50_000)}"\\u0000"${']'.repeat(50_000)}`) as unknown;

    expect(unsafeInputProblems(deep, 'the body')).toHaveLength(1);
  });

  it('reports at most 10 problems', () => {
    const body = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`f${i}`, '\u0000']));

    expect(unsafeInputProblems(body, 'the body')).toHaveLength(10);
  });
});
