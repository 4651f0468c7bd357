import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/** RFC 8414 §2, the members this server has. */
export class AuthorizationServerMetadataDto {
  @ApiProperty({ description: 'JWT_ISSUER: the `iss` of every access token' })
  issuer!: string;

  @ApiProperty({ example: 'https://api.example.com/api/v1/auth/login' })
  token_endpoint!: string;

  @ApiProperty({ example: 'https://api.example.com/api/v1/auth/revoke' })
  revocation_endpoint!: string;

  @ApiPropertyOptional({
    description: 'Only when INTROSPECTION_TOKEN is set',
    example: 'https://api.example.com/api/v1/auth/introspect',
  })
  introspection_endpoint?: string;

  @ApiPropertyOptional({
    description: 'Only with JWT_ALGORITHM=RS256 or ES256',
    example: 'https://api.example.com/.well-known/jwks.json',
  })
  jwks_uri?: string;

  @ApiProperty({ example: ['password', 'refresh_token'] })
  grant_types_supported!: string[];

  @ApiProperty({ example: ['none'] })
  token_endpoint_auth_methods_supported!: string[];

  @ApiProperty({ example: ['none'] })
  revocation_endpoint_auth_methods_supported!: string[];

  @ApiProperty({ description: 'There is no authorization endpoint', example: [] })
  response_types_supported!: string[];
}
