import { ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The token endpoint's request (RFC 6749): the password grant (§4.3.2, the default) or the
 * refresh grant (§6), as the form or JSON. It is checked by the guard (see login-body.ts):
 * guards run before pipes, and login is guarded.
 */
export class LoginDto {
  @ApiPropertyOptional({
    enum: ['password', 'refresh_token'],
    default: 'password',
    description: 'OAuth2 grant type',
  })
  grant_type?: 'password' | 'refresh_token';

  @ApiPropertyOptional({
    description: 'Email or username (case-insensitive); password grant',
    example: 'ada@example.com',
  })
  username?: string;

  @ApiPropertyOptional({
    description: 'Password grant',
    example: 'correct horse battery staple',
    format: 'password',
  })
  password?: string;

  @ApiPropertyOptional({ description: 'Refresh grant: the refresh token of the last response' })
  refresh_token?: string;

  @ApiPropertyOptional({ description: 'OAuth2 scopes (ignored)', example: '' })
  scope?: string;

  @ApiPropertyOptional({ description: 'OAuth2 client id (ignored)' })
  client_id?: string;

  @ApiPropertyOptional({ description: 'OAuth2 client secret (ignored)' })
  client_secret?: string;
}
