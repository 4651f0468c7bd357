import { ApiProperty } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';

/** The second step of a login, as JSON or as a form. */
export class LoginMfaDto {
  @ApiProperty({ description: 'The `mfa_token` of the 403 `mfa_required` answer of the login' })
  // Any string is looked up (and gets 401 when it is not a live token); only the type is a 400.
  @IsString()
  @MaxLength(512)
  mfa_token!: string;

  @ApiProperty({ description: 'A 6-digit TOTP code, or a recovery code', example: '123456' })
  @IsString()
  @MaxLength(64)
  code!: string;
}
