import { HttpStatus } from '@nestjs/common';
import { isCodedError, type ErrorBody } from './error-body';

/**
 * RFC 6749 §5.2 codes for the statuses of §5.2 the token endpoints answer with. A 401 or 403
 * there is always about the grant (wrong credentials, a bad, expired or spent refresh token, a
 * disabled account): the client itself is never authenticated. Statuses outside §5.2 (413, 415,
 * 429, 5xx) keep Nest's text.
 */
const OAUTH_CODES: Partial<Record<number, string>> = {
  [HttpStatus.BAD_REQUEST]: 'invalid_request',
  [HttpStatus.UNAUTHORIZED]: 'invalid_grant',
  [HttpStatus.FORBIDDEN]: 'invalid_grant',
};

/**
 * The error body of a token endpoint: Nest's `statusCode` and `message` stay (clients of the
 * API read them), `error` becomes the RFC 6749 code and `error_description` says the message
 * again in the characters the RFC allows. A code the error already carries (`mfa_required`,
 * `unsupported_grant_type`) is kept.
 */
export function toTokenEndpointError(body: ErrorBody): ErrorBody {
  const code = isCodedError(body) ? body.error : OAUTH_CODES[body.statusCode];
  if (code === undefined) {
    return body;
  }
  return { ...body, error: code, error_description: describe(body.message) };
}

// RFC 6749 §5.2: error_description is %x20-21 / %x23-5B / %x5D-7E, so no quote, backslash or
// non-ASCII character.
function describe(message: string | string[]): string {
  const text = Array.isArray(message) ? message.join('; ') : message;
  return text
    .replace(/"/g, "'")
    .replace(/\\/g, '/')
    .replace(/[^\x20-\x7e]/g, '?');
}
