import { ApiProperty } from '@nestjs/swagger';
import { IsByteLength, IsString } from 'class-validator';
import { IsAcceptablePassword } from '../validation/is-acceptable-password.decorator';
import { IsPassword, PASSWORD_MAX_BYTES } from '../validation/is-password.decorator';

export class ChangePasswordDto {
  @ApiProperty({ format: 'password', example: 'correct horse battery staple' })
  @IsString()
  // No stored password is longer, and bcrypt would compare only the first 72 bytes of a longer one.
  @IsByteLength(1, PASSWORD_MAX_BYTES, {
    message: `currentPassword must be 1 to ${PASSWORD_MAX_BYTES} bytes long`,
  })
  currentPassword!: string;

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
