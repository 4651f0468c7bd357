import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString } from 'class-validator';

/** RFC 7009 §2.1, as the form or JSON. */
export class RevokeTokenDto {
  @ApiProperty({ description: 'A refresh token or an access token' })
  @IsString()
  token!: string;

  @ApiPropertyOptional({
    enum: ['refresh_token', 'access_token'],
    description: 'Ignored: every token is looked up as both kinds',
  })
  @IsOptional()
  @IsString()
  token_type_hint?: string;

  @ApiPropertyOptional({ description: 'OAuth2 client id (ignored; public clients send it)' })
  @IsOptional()
  @IsString()
  client_id?: string;

  @ApiPropertyOptional({ description: 'OAuth2 client secret (ignored)' })
  @IsOptional()
  @IsString()
  client_secret?: string;
}
