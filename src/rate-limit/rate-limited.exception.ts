import { HttpException, HttpStatus } from '@nestjs/common';

/**
 * A 429 that knows when the client may try again; the exception filter turns
 * `retryAfterSeconds` into the `Retry-After` header (RFC 9110 §10.2.3, whole seconds).
 */
export class RateLimitedException extends HttpException {
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message, HttpStatus.TOO_MANY_REQUESTS);
  }
}
