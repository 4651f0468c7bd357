import { Injectable } from '@nestjs/common';
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { AppConfig } from '../config/app-config';

const VERSION = 'v1';
const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;
/**
 * HKDF's info: a key derived for this purpose only, so ENCRYPTION_KEY could later feed other
 * derived keys without any two of them being the same. Changing it makes every stored secret
 * unreadable: a new format version gets a new info string instead.
 */
const KEY_INFO = 'nest-auth secrets at rest v1 (aes-256-gcm)';

/**
 * Encrypts secrets kept at rest (TOTP seeds) with AES-256-GCM under a key derived from
 * ENCRYPTION_KEY (HKDF-SHA256). The stored form is `v1.<iv>.<tag>.<ciphertext>`, each part
 * base64url, so that a later key rotation can add `v2` and read both.
 *
 * `context` is authenticated but not stored (GCM associated data): a ciphertext copied to
 * another row (another user's id) fails to decrypt instead of handing over that user's seed.
 */
@Injectable()
export class SecretCipher {
  private readonly key: Buffer;

  constructor(config: AppConfig) {
    this.key = Buffer.from(
      hkdfSync('sha256', Buffer.from(config.encryption.key, 'utf8'), Buffer.alloc(0), KEY_INFO, 32),
    );
  }

  encrypt(plaintext: string, context: string): string {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.key, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(context, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [VERSION, iv, cipher.getAuthTag(), ciphertext]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  /** Throws when the text is not this format, was altered, or belongs to another context or key. */
  decrypt(stored: string, context: string): string {
    const [version, iv, tag, ciphertext, ...rest] = stored.split('.');
    if (version !== VERSION || ciphertext === undefined || rest.length > 0) {
      throw new Error('Not an encrypted secret of a known version');
    }
    const decipher = createDecipheriv(ALGORITHM, this.key, Buffer.from(iv, 'base64url'), {
      authTagLength: TAG_BYTES,
    });
    decipher.setAAD(Buffer.from(context, 'utf8'));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([
      decipher.update(Buffer.from(ciphertext, 'base64url')),
      decipher.final(),
    ]).toString('utf8');
  }
}
