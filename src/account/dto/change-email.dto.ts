import { ApiProperty } from '@nestjs/swagger';
import { IsByteLength, IsEmail, IsString, MaxLength } from 'class-validator';
import { PASSWORD_MAX_BYTES } from '../../users/validation/is-password.decorator';

export class ChangeEmailDto {
  @ApiProperty({ example: 'ada.lovelace@example.org', maxLength: 254 })
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'newEmail must be an email address' })
  newEmail!: string;

  @ApiProperty({ format: 'password', example: 'correct horse battery staple' })
  @IsString()
  @IsByteLength(1, PASSWORD_MAX_BYTES, {
    message: `currentPassword must be 1 to ${PASSWORD_MAX_BYTES} bytes long`,
  })
  currentPassword!: string;
}
