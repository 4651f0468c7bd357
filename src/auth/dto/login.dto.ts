import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

/**
 * The token endpoint's password grant (RFC 6749 §4.3.2, the default), as the form or JSON; the
 * refresh grant is RefreshGrantDto. Both are checked by the guard (see login-body.ts): guards
 * run before pipes, and login is guarded.
 */
export class LoginDto {
  @ApiProperty({ description: 'Email or username (case-insensitive)', example: 'ada@example.com' })
  username!: string;

  @ApiProperty({ example: 'correct horse battery staple', format: 'password' })
  password!: string;

  @ApiPropertyOptional({
    description:
      'For an account with a second factor: a TOTP or recovery code, completing both steps in ' +
      'one request. Without it such an account gets 403 `mfa_required` and an `mfa_token`.',
    example: '123456',
  })
  code?: string;

  @ApiPropertyOptional({
    enum: ['password'],
    default: 'password',
    description: 'OAuth2 grant type',
  })
  grant_type?: 'password';

  @ApiPropertyOptional({ description: 'OAuth2 scopes (ignored)', example: '' })
  scope?: string;

  @ApiPropertyOptional({ description: 'OAuth2 client id (ignored)' })
  client_id?: string;

  @ApiPropertyOptional({ description: 'OAuth2 client secret (ignored)' })
  client_secret?: string;
}
