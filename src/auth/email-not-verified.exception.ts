import { ForbiddenException } from '@nestjs/common';

/** REQUIRE_VERIFIED_EMAIL: the right password, but the address is not verified yet. */
export class EmailNotVerifiedException extends ForbiddenException {
  constructor() {
    super({
      statusCode: 403,
      error: 'email_not_verified',
      message:
        'Verify your email address first: use the link mailed to you, or ask for a new one ' +
        'with POST /api/v1/auth/email/verify/resend',
    });
  }
}
