import { createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, type JWK } from 'jose';
import type { AppConfig } from '../config/app-config';
import { isAsymmetric, type JwtAlgorithm } from '../config/signing-key-material';

/** A JWKS entry: the public members of a key, with its kid, alg and use. Nothing private. */
export interface PublicJwk extends JWK {
  kid: string;
  alg: string;
  use: 'sig';
}

export interface JsonWebKeySet {
  keys: PublicJwk[];
}

interface JoseHeader {
  alg?: unknown;
  kid?: unknown;
}

// The members RFC 7517/7518 define for RSA and EC public keys: the JWKS keeps these only, so a
// private member (d, p, q, dp, dq, qi) can never reach it, whatever the export returns.
const PUBLIC_MEMBERS = ['kty', 'crv', 'x', 'y', 'n', 'e'] as const;

/**
 * The keys access tokens are signed and verified with, made once at start-up.
 *
 * HS256: one HMAC key (a KeyObject: jsonwebtoken re-imports a string key on every call, see
 * bench/README.md). RS256/ES256: the private key signs, and its public key plus each key of
 * JWT_PREVIOUS_PUBLIC_KEYS_FILE verify, chosen by the token's `kid` (the RFC 7638 thumbprint).
 * The same KeyObject is handed out for a kid every time, so the verified-token cache, keyed
 * by the key, keeps working.
 */
export class SigningKeys {
  private constructor(
    readonly algorithm: JwtAlgorithm,
    /** The HMAC key or the private key. */
    readonly signingKey: KeyObject,
    /** The `kid` written into every token header (asymmetric only). */
    readonly keyId: string | undefined,
    private readonly byKeyId: ReadonlyMap<string, KeyObject>,
    /** The public keys as a JWKS (asymmetric only). */
    readonly jwks: JsonWebKeySet | undefined,
  ) {}

  static async create(config: AppConfig): Promise<SigningKeys> {
    const { algorithm, privateKey, previousPublicKeys } = config.jwt;
    if (!isAsymmetric(algorithm)) {
      const secret = createSecretKey(Buffer.from(config.jwt.secret, 'utf8'));
      return new SigningKeys(algorithm, secret, undefined, new Map(), undefined);
    }
    if (privateKey === undefined) {
      throw new Error(`JWT_ALGORITHM=${algorithm} without a private key`);
    }
    const byKeyId = new Map<string, KeyObject>();
    const keys: PublicJwk[] = [];
    for (const publicKey of [createPublicKey(privateKey), ...previousPublicKeys]) {
      const jwk = await publicJwk(publicKey, algorithm);
      // A previous key listed twice, or the current key listed as previous: one entry.
      if (!byKeyId.has(jwk.kid)) {
        byKeyId.set(jwk.kid, publicKey);
        keys.push(jwk);
      }
    }
    return new SigningKeys(algorithm, privateKey, keys[0].kid, byKeyId, { keys });
  }

  get isAsymmetric(): boolean {
    return this.keyId !== undefined;
  }

  /** Every key that verifies tokens (the HMAC key, or each public key). */
  get verificationKeys(): KeyObject[] {
    return this.isAsymmetric ? [...this.byKeyId.values()] : [this.signingKey];
  }

  /**
   * The key to verify `token` with, or undefined when no key may: a header that does not decode,
   * an `alg` other than the configured one, or (asymmetric) a missing or unknown `kid`. The
   * signature and claims are then checked by jsonwebtoken, restricted to the configured `alg`.
   */
  verificationKeyFor(token: string): KeyObject | undefined {
    const header = decodeHeader(token);
    if (header === undefined || header.alg !== this.algorithm) {
      return undefined;
    }
    if (!this.isAsymmetric) {
      return this.signingKey;
    }
    return typeof header.kid === 'string' ? this.byKeyId.get(header.kid) : undefined;
  }
}

async function publicJwk(key: KeyObject, algorithm: JwtAlgorithm): Promise<PublicJwk> {
  const exported = await exportJWK(key);
  const jwk: JWK = {};
  for (const member of PUBLIC_MEMBERS) {
    if (exported[member] !== undefined) {
      jwk[member] = exported[member];
    }
  }
  return { ...jwk, kid: await calculateJwkThumbprint(jwk, 'sha256'), alg: algorithm, use: 'sig' };
}

function decodeHeader(token: string): JoseHeader | undefined {
  const end = token.indexOf('.');
  if (end <= 0) {
    return undefined;
  }
  try {
    const header: unknown = JSON.parse(Buffer.from(token.slice(0, end), 'base64url').toString());
    return typeof header === 'object' && header !== null ? header : undefined;
  } catch {
    return undefined;
  }
}
