import { AppConfig } from '../config/app-config';
import { SecretCipher } from './secret-cipher';

const KEY = 'an-encryption-key-of-at-least-32-bytes!';

function cipherWith(key: string): SecretCipher {
  return new SecretCipher(
    AppConfig.from({
      encryption: { key, keyGenerated: false },
    } as unknown as Omit<AppConfig, 'isProduction'>),
  );
}

describe(SecretCipher.name, () => {
  const cipher = cipherWith(KEY);

  it('decrypts what it encrypted, in the v1 format of four base64url parts', () => {
    const stored = cipher.encrypt('JBSWY3DPEHPK3PXP', 'user-1');

    expect(stored).toMatch(/^v1\.[\w-]{16}\.[\w-]{22}\.[\w-]+$/);
    expect(stored).not.toContain('JBSWY3DPEHPK3PXP');
    expect(cipher.decrypt(stored, 'user-1')).toBe('JBSWY3DPEHPK3PXP');
  });

  it('uses a fresh IV each time, so one secret never encrypts to the same text twice', () => {
    expect(cipher.encrypt('same', 'user-1')).not.toBe(cipher.encrypt('same', 'user-1'));
  });

  it('refuses a ciphertext moved to another context (another user)', () => {
    const stored = cipher.encrypt('JBSWY3DPEHPK3PXP', 'user-1');

    expect(() => cipher.decrypt(stored, 'user-2')).toThrow();
  });

  it('refuses a ciphertext made under another key', () => {
    const stored = cipherWith('another-encryption-key-of-32-bytes-or-more').encrypt('s', 'u');

    expect(() => cipher.decrypt(stored, 'u')).toThrow();
  });

  it.each([
    ['an altered ciphertext', (parts: string[]) => [...parts.slice(0, 3), `${parts[3]}A`]],
    ['an altered tag', (parts: string[]) => [parts[0], parts[1], 'A'.repeat(22), parts[3]]],
    ['an unknown version', (parts: string[]) => ['v2', ...parts.slice(1)]],
    ['a missing part', (parts: string[]) => parts.slice(0, 3)],
    ['an extra part', (parts: string[]) => [...parts, 'x']],
  ])('refuses %s', (_what, alter) => {
    const parts = cipher.encrypt('JBSWY3DPEHPK3PXP', 'u').split('.');

    expect(() => cipher.decrypt(alter(parts).join('.'), 'u')).toThrow();
  });
});
