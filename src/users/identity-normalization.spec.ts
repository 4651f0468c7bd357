import fc from 'fast-check';
import { normalizeIdentity } from './identity-normalization';

describe('normalizeIdentity', () => {
  it.each([
    ['ASCII capitals', 'Ada@Example.COM', 'ada@example.com'],
    ['a non-ASCII capital', 'Élodie@example.com', 'élodie@example.com'],
    ['the NFD spelling', 'E\u0301lodie@example.com', 'élodie@example.com'],
    ['a capital sharp s is lower-cased, not expanded', 'STRAẞE@x.de', 'straße@x.de'],
    ['the Kelvin sign', '\u212Aate@example.com', 'kate@example.com'],
  ])('folds %s', (_what, text, expected) => {
    expect(normalizeIdentity(text)).toBe(expected);
  });

  it('gives one form for the NFC and NFD spellings of any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        const folded = normalizeIdentity(text);
        expect(normalizeIdentity(text.normalize('NFD'))).toBe(folded);
        expect(normalizeIdentity(text.normalize('NFC'))).toBe(folded);
      }),
    );
  });
});
