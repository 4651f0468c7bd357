import { ApiProperty } from '@nestjs/swagger';

/** The login's 403 for an account with a second factor, when no code was sent. */
export class MfaRequiredResponseDto {
  @ApiProperty({ example: 403 })
  statusCode!: number;

  @ApiProperty({ example: 'mfa_required' })
  error!: 'mfa_required';

  @ApiProperty()
  message!: string;

  @ApiProperty({ description: 'For POST /auth/login/mfa: single use, bound to this account' })
  mfa_token!: string;

  @ApiProperty({ description: 'Seconds until the mfa_token expires', example: 300 })
  mfa_token_expires_in!: number;
}
