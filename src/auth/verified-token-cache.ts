/** A token payload as jsonwebtoken hands it over once the signature and claims check out. */
export type VerifiedPayload = Readonly<Record<string, unknown>>;

/** How many verified tokens one process remembers (a few MB at most). */
export const VERIFIED_TOKEN_CACHE_SIZE = 10_000;

/**
 * Remembers the payloads of access tokens whose signature, algorithm, issuer and audience were
 * already checked, keyed by the exact token text, so that a client sending the same token on
 * every request pays for the HMAC and the JSON parsing once (bench/README.md, step 5).
 *
 * That check is a pure function of the token and the key, which never change while the process
 * runs, so nothing can make an entry wrong except time: `exp` (and `nbf`, when present) is checked
 * again on every hit, as jsonwebtoken would, with no clock tolerance. Revocation and disabling
 * are unaffected: they live in the session and the user, which are read from the database on
 * every request whether or not the token came from here. Only successes are remembered, so a
 * forged or altered token (a different text) always goes through the full verification.
 */
export class VerifiedTokenCache {
  // A Map iterates in insertion order: the first key is the oldest, and is evicted first.
  private readonly entries = new Map<string, VerifiedPayload>();

  constructor(
    private readonly maxEntries = VERIFIED_TOKEN_CACHE_SIZE,
    private readonly nowSeconds: () => number = () => Date.now() / 1000,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The payload of a token verified earlier and still within its validity window. */
  get(token: string): VerifiedPayload | undefined {
    const payload = this.entries.get(token);
    if (payload === undefined) {
      return undefined;
    }
    if (!isCurrent(payload, this.nowSeconds())) {
      this.entries.delete(token);
      return undefined;
    }
    return payload;
  }

  /**
   * Remembers a payload jsonwebtoken accepted. Tokens without a numeric `exp` are never kept:
   * their validity would not end, so they are verified in full every time. Returns the frozen
   * payload, which callers share across requests.
   */
  remember(token: string, payload: Record<string, unknown>): VerifiedPayload {
    const frozen = Object.freeze(payload);
    if (typeof frozen.exp !== 'number' || !isCurrent(frozen, this.nowSeconds())) {
      return frozen;
    }
    if (!this.entries.has(token) && this.entries.size >= this.maxEntries) {
      this.evictOldest();
    }
    this.entries.set(token, frozen);
    return frozen;
  }

  private evictOldest(): void {
    const oldest = this.entries.keys().next();
    if (!oldest.done) {
      this.entries.delete(oldest.value);
    }
  }
}

/** jsonwebtoken's own rules: expired once `now >= exp`; not yet valid while `nbf > now`. */
function isCurrent(payload: VerifiedPayload, now: number): boolean {
  const { exp, nbf } = payload;
  if (typeof exp !== 'number' || Math.floor(now) >= exp) {
    return false;
  }
  return nbf === undefined || (typeof nbf === 'number' && nbf <= Math.floor(now));
}
