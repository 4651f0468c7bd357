import { BadRequestException } from '@nestjs/common';

const OPTIONAL_OAUTH2_FIELDS = ['grant_type', 'scope', 'client_id', 'client_secret'];
// `code`: the second factor's code, when the user sends it with the password (one step).
const ALLOWED_FIELDS = new Set(['username', 'password', 'code', ...OPTIONAL_OAUTH2_FIELDS]);

/**
 * Checks the login body as the ValidationPipe checks others (guards run before pipes): an object
 * of known string fields, `grant_type` "password" when given. Missing credentials are left to the
 * strategy, which answers 401 as for wrong ones.
 */
export function assertLoginBody(body: unknown): void {
  if (body === undefined || body === null) {
    return;
  }
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw new BadRequestException('The login body must be a form or a JSON object');
  }
  const problems: string[] = [];
  for (const [field, value] of Object.entries(body)) {
    if (!ALLOWED_FIELDS.has(field)) {
      problems.push(`property ${field} should not exist`);
    } else if (typeof value !== 'string') {
      problems.push(`${field} must be a string`);
    }
  }
  const grantType = (body as Record<string, unknown>).grant_type;
  if (typeof grantType === 'string' && grantType !== 'password') {
    problems.push('grant_type must be "password"');
  }
  if (problems.length > 0) {
    throw new BadRequestException(problems);
  }
}

/** The second factor's code of a login body that {@link assertLoginBody} accepted, if sent. */
export function loginCodeOf(body: unknown): string | undefined {
  const code = (body as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
