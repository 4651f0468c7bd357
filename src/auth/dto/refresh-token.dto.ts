import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/** `{refresh_token}` as JSON, or the RFC 6749 §6 refresh form. */
export class RefreshTokenDto {
  @ApiProperty({
    description: 'The refresh token of the last token response; single use',
    example: 'q1Zq0m3bq3cG1Qj8e2r7v5a4k9t6x0w2y8u1i3o5p7s',
  })
  // Any string is looked up (and gets 401 when it is not a live token); only the type is a 400.
  @IsString()
  refresh_token!: string;

  @ApiPropertyOptional({ enum: ['refresh_token'], description: 'OAuth2 grant type (RFC 6749 §6)' })
  @IsOptional()
  @IsString()
  grant_type?: string;

  @ApiPropertyOptional({ description: 'OAuth2 scopes (ignored)' })
  @IsOptional()
  @IsString()
  scope?: string;

  @ApiPropertyOptional({ description: 'OAuth2 client id (ignored)' })
  @IsOptional()
  @IsString()
  client_id?: string;

  @ApiPropertyOptional({ description: 'OAuth2 client secret (ignored)' })
  @IsOptional()
  @IsString()
  client_secret?: string;
}
