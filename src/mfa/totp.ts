import { Secret, TOTP } from 'otpauth';

/** RFC 6238 as every authenticator app implements it: SHA-1, 6 digits, 30-second steps. */
export const TOTP_PARAMETERS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
/** Steps of clock drift accepted either way. */
export const TOTP_WINDOW = 1;
/** 160 bits, the seed length RFC 4226 §4 recommends (32 base32 characters). */
const SECRET_BYTES = 20;
const TOTP_CODE = /^\d{6}$/;

export function isTotpCode(code: string): boolean {
  return TOTP_CODE.test(code);
}

/** A new random seed, base32 as authenticator apps take it. */
export function generateTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

/** The `otpauth://totp/...` URI a QR code carries (Key Uri Format). */
export function totpUri(secret: string, issuer: string, account: string): string {
  return new TOTP({
    ...TOTP_PARAMETERS,
    issuer,
    label: account,
    secret: Secret.fromBase32(secret),
  }).toString();
}

/**
 * The time step `code` belongs to, within {@link TOTP_WINDOW} steps of `atMs`, or null when it
 * matches none. The caller refuses steps at or before the last one accepted (replay).
 */
export function totpStepOf(secret: string, code: string, atMs: number): number | null {
  if (!isTotpCode(code)) {
    return null;
  }
  const delta = TOTP.validate({
    ...TOTP_PARAMETERS,
    secret: Secret.fromBase32(secret),
    token: code,
    timestamp: atMs,
    window: TOTP_WINDOW,
  });
  return delta === null
    ? null
    : TOTP.counter({ period: TOTP_PARAMETERS.period, timestamp: atMs }) + delta;
}
