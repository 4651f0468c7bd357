import { BadRequestException, HttpStatus } from '@nestjs/common';
import { OAuthErrorException } from './oauth-error.exception';

/** What a request to the token endpoint (POST /auth/login) asks for. */
export type TokenGrant = { type: 'password' } | { type: 'refresh_token'; refreshToken: string };

const GRANT_TYPES = new Set(['password', 'refresh_token']);
// RFC 6749 §4.3.2 and §6; client_id, client_secret and scope are accepted and ignored.
const ALLOWED_FIELDS = new Set([
  'grant_type',
  'username',
  'password',
  'refresh_token',
  // The second factor's code, when the user sends it with the password (one step).
  'code',
  'scope',
  'client_id',
  'client_secret',
]);

/**
 * Checks the token request as the ValidationPipe checks other bodies (guards run before pipes,
 * and login is guarded): an object of known string fields and a supported `grant_type`
 * ("password" when absent). Missing credentials are left to the local strategy, which answers
 * 401 as for wrong ones; a refresh grant without its `refresh_token` is a 400.
 */
export function parseTokenRequest(body: unknown): TokenGrant {
  if (body === undefined || body === null) {
    return { type: 'password' };
  }
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new BadRequestException('The token request must be a form or a JSON object');
  }
  const problems: string[] = [];
  for (const [field, value] of Object.entries(body)) {
    if (!ALLOWED_FIELDS.has(field)) {
      problems.push(`property ${field} should not exist`);
    } else if (typeof value !== 'string') {
      problems.push(`${field} must be a string`);
    }
  }
  if (problems.length > 0) {
    throw new BadRequestException(problems);
  }
  const fields = body as Record<string, string | undefined>;
  const grantType = fields.grant_type ?? 'password';
  if (!GRANT_TYPES.has(grantType)) {
    throw new OAuthErrorException(
      HttpStatus.BAD_REQUEST,
      'unsupported_grant_type',
      'grant_type must be password or refresh_token',
    );
  }
  if (grantType === 'password') {
    return { type: 'password' };
  }
  if (fields.refresh_token === undefined) {
    throw new BadRequestException(['refresh_token must be a string']);
  }
  return { type: 'refresh_token', refreshToken: fields.refresh_token };
}

/** The second factor's code of a login body that {@link parseTokenRequest} accepted, if sent. */
export function loginCodeOf(body: unknown): string | undefined {
  const code = (body as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
