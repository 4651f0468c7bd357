import { ApiProperty } from '@nestjs/swagger';
import { IsCurrentPassword, IsMfaCode } from './mfa-code.decorator';

/** New recovery codes and turning the factor off need both the password and a code. */
export class PasswordAndCodeDto {
  @ApiProperty({ format: 'password', example: 'correct horse battery staple' })
  @IsCurrentPassword()
  currentPassword!: string;

  @ApiProperty({
    description: 'A 6-digit TOTP code (to turn the factor off, a recovery code also does)',
    example: '123456',
  })
  @IsMfaCode()
  code!: string;
}
