import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';
import { IsAcceptablePassword } from '../../users/validation/is-acceptable-password.decorator';
import { IsPassword } from '../../users/validation/is-password.decorator';
import { MAIL_TOKEN_PROPERTY } from './mail-token.dto';

export class ResetPasswordDto {
  @ApiProperty(MAIL_TOKEN_PROPERTY)
  @IsString()
  token!: string;

  @ApiProperty({
    format: 'password',
    example: 'lantern orbit pickle granite',
    description:
      '8 to 72 bytes of UTF-8; not a common or easily guessed password, and not containing the ' +
      'email or the username',
  })
  @IsPassword()
  @IsAcceptablePassword()
  newPassword!: string;
}
