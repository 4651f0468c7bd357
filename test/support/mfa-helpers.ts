import { Secret, TOTP } from 'otpauth';
import { MfaClock } from '../../src/mfa/mfa-clock';
import { bearer, login, type Tokens } from './auth-helpers';
import type { TestApp } from './create-test-app';
import type { TestUser } from './factories/user.factory';

export const TOTP_STEP_MS = 30_000;

/** The code an authenticator app shows at `atMs` for the seed the API returned. */
export function totpCode(secret: string, atMs = Date.now()): string {
  return TOTP.generate({
    secret: Secret.fromBase32(secret),
    algorithm: 'SHA1',
    digits: 6,
    period: 30,
    timestamp: atMs,
  });
}

/**
 * Fixes the server's second-factor clock at `atMs` (the middle of a step by default, so that a
 * code computed by the test cannot cross a step boundary on its way). Returns the time.
 */
export function freezeMfaClock(testApp: TestApp, atMs = middleOfCurrentStep()): number {
  jest.spyOn(testApp.app.get(MfaClock), 'now').mockImplementation(() => new Date(atMs));
  return atMs;
}

export function middleOfCurrentStep(): number {
  return Math.floor(Date.now() / TOTP_STEP_MS) * TOTP_STEP_MS + TOTP_STEP_MS / 2;
}

export interface EnabledFactor {
  secret: string;
  recoveryCodes: string[];
  /** The session that set the factor up (it stays signed in). */
  tokens: Tokens;
  /** When the confirming code was computed: later codes must be from later steps. */
  confirmedAtMs: number;
}

/**
 * Sets up and confirms TOTP through the API for a user, with the code computed from the seed
 * the API returned. The confirming code's step is then used: tests use later steps.
 */
export async function enableTotp(testApp: TestApp, testUser: TestUser): Promise<EnabledFactor> {
  const tokens = await login(testApp, testUser);
  const setup = await testApp
    .http()
    .post('/api/v1/users/me/mfa/totp/setup')
    .set(bearer(tokens.access_token))
    .send({ currentPassword: testUser.password })
    .expect(200);
  const secret = (setup.body as { secret: string }).secret;
  const confirmedAtMs = Date.now();
  const confirm = await testApp
    .http()
    .post('/api/v1/users/me/mfa/totp/confirm')
    .set(bearer(tokens.access_token))
    .send({ code: totpCode(secret, confirmedAtMs) })
    .expect(200);
  return {
    secret,
    recoveryCodes: (confirm.body as { recoveryCodes: string[] }).recoveryCodes,
    tokens,
    confirmedAtMs,
  };
}

/** The claims of a JWT, unverified (the server verified it). */
export function claimsOf(accessToken: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(accessToken.split('.')[1], 'base64url').toString('utf8')) as Record<
    string,
    unknown
  >;
}
