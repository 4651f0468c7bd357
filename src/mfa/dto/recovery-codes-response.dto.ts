import { ApiProperty } from '@nestjs/swagger';

export class RecoveryCodesResponseDto {
  @ApiProperty({
    description:
      'Ten single-use codes, shown only this once: each signs in (or turns the factor off) in place of a TOTP code',
    example: ['k7q2-mx4a-p3zt-6bwe'],
    isArray: true,
    type: String,
  })
  recoveryCodes!: string[];
}
