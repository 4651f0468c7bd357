import { HttpException, type HttpStatus } from '@nestjs/common';

/**
 * An error that carries its own RFC 6749 §5.2 code (`unsupported_grant_type`, say), which the
 * exception filter keeps as the body's `error` instead of the status text. Any other field of
 * the body (a second-factor challenge's `mfa_token`, for instance) is kept as well.
 *
 * @example
 * ```ts
 * throw new OAuthErrorException(HttpStatus.BAD_REQUEST, 'unsupported_grant_type', 'grant_type ...');
 * ```
 */
export class OAuthErrorException extends HttpException {
  constructor(
    status: HttpStatus,
    code: string,
    description: string,
    extra: Record<string, string | number | boolean> = {},
  ) {
    super({ ...extra, statusCode: status, message: description, error: code }, status);
  }
}
