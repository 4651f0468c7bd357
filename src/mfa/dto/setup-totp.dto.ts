import { ApiProperty } from '@nestjs/swagger';
import { IsCurrentPassword } from './mfa-code.decorator';

export class SetupTotpDto {
  @ApiProperty({ format: 'password', example: 'correct horse battery staple' })
  @IsCurrentPassword()
  currentPassword!: string;
}
