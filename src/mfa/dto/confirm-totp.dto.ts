import { ApiProperty } from '@nestjs/swagger';
import { IsMfaCode } from './mfa-code.decorator';

export class ConfirmTotpDto {
  @ApiProperty({
    description: 'The 6-digit code the authenticator app shows now',
    example: '123456',
  })
  @IsMfaCode()
  code!: string;
}
