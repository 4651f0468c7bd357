import { ApiProperty } from '@nestjs/swagger';

export class TotpSetupResponseDto {
  @ApiProperty({
    description: 'The seed, base32 (160 bits), for apps that take it typed in',
    example: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP',
  })
  secret!: string;

  @ApiProperty({
    description: 'The same seed as an otpauth:// URI, for a QR code',
    example:
      'otpauth://totp/nest-auth:ada%40example.com?issuer=nest-auth&secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&algorithm=SHA1&digits=6&period=30',
  })
  otpauthUrl!: string;
}
