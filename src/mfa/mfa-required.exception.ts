import { HttpException, HttpStatus } from '@nestjs/common';
import type { IssuedChallenge } from './mfa-challenges.service';

export const MFA_REQUIRED = 'mfa_required';

/**
 * The login's 403 when the password was right and a second factor is due. Its response object is
 * the whole body the contract gives (`error` a machine-readable code), which the exception filter
 * sends as it is.
 */
export class MfaRequiredException extends HttpException {
  constructor(challenge: IssuedChallenge) {
    super(
      {
        statusCode: HttpStatus.FORBIDDEN,
        error: MFA_REQUIRED,
        message:
          'A second factor is required: send a code with this mfa_token to POST /auth/login/mfa',
        mfa_token: challenge.mfaToken,
        mfa_token_expires_in: challenge.expiresInSeconds,
      },
      HttpStatus.FORBIDDEN,
    );
  }
}
