import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, MaxLength } from 'class-validator';
import { IsAcceptablePassword } from '../../users/validation/is-acceptable-password.decorator';
import { IsPassword } from '../../users/validation/is-password.decorator';
import { IsUsername } from '../../users/validation/is-username.decorator';

export class RegisterDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 254 })
  @IsString()
  @MaxLength(254)
  @IsEmail({}, { message: 'email must be an email address' })
  email!: string;

  @ApiProperty({ example: 'ada', minLength: 3, maxLength: 32, pattern: '^[A-Za-z0-9_.-]+$' })
  @IsUsername()
  username!: string;

  @ApiProperty({
    example: 'correct horse battery staple',
    description:
      '8 to 72 bytes of UTF-8 (bcrypt ignores anything longer, so it is refused); not a common ' +
      'or easily guessed password, and not containing the email or the username',
    format: 'password',
  })
  @IsPassword()
  @IsAcceptablePassword({ emailProperty: 'email', usernameProperty: 'username' })
  password!: string;

  @ApiPropertyOptional({ example: 'Ada Lovelace', maxLength: 100 })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  fullName?: string;
}
