import { ApiProperty } from '@nestjs/swagger';
import { IsString } from 'class-validator';

export class RefreshTokenDto {
  @ApiProperty({
    description: 'The refresh token of the last token response; single use',
    example: 'q1Zq0m3bq3cG1Qj8e2r7v5a4k9t6x0w2y8u1i3o5p7s',
  })
  // Any string is looked up (and gets 401 when it is not a live token); only the type is a 400.
  @IsString()
  refresh_token!: string;
}
