import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** The token endpoint's refresh grant (RFC 6749 §6), for the OpenAPI document; see LoginDto. */
export class RefreshGrantDto {
  @ApiProperty({ enum: ['refresh_token'], description: 'OAuth2 grant type' })
  grant_type!: 'refresh_token';

  @ApiProperty({ description: 'The refresh token of the last token response; single use' })
  refresh_token!: string;

  @ApiPropertyOptional({ description: 'OAuth2 scopes (ignored)' })
  scope?: string;

  @ApiPropertyOptional({ description: 'OAuth2 client id (ignored)' })
  client_id?: string;

  @ApiPropertyOptional({ description: 'OAuth2 client secret (ignored)' })
  client_secret?: string;
}
