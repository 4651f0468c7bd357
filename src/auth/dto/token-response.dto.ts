import { ApiProperty } from '@nestjs/swagger';

export class TokenResponseDto {
  @ApiProperty({ description: 'JWT (HS256) to send as `Authorization: Bearer <token>`' })
  access_token!: string;

  @ApiProperty({ example: 'bearer' })
  token_type!: 'bearer';

  @ApiProperty({ description: 'Seconds until the access token expires', example: 900 })
  expires_in!: number;

  @ApiProperty({ description: 'Opaque, single-use token for POST /auth/refresh' })
  refresh_token!: string;

  @ApiProperty({ description: 'Seconds until the refresh token expires', example: 604800 })
  refresh_expires_in!: number;
}
