import { ApiProperty } from '@nestjs/swagger';

/**
 * The answer of a token route called with `X-Auth-Transport: cookie`: the tokens went into
 * HttpOnly cookies, so the body holds only their lifetimes and the CSRF token.
 */
export class CookieTokenResponseDto {
  @ApiProperty({ example: 'cookie' })
  token_type!: 'cookie';

  @ApiProperty({ description: 'Seconds until the access_token cookie expires', example: 900 })
  expires_in!: number;

  @ApiProperty({ description: 'Seconds until the refresh_token cookie expires', example: 604800 })
  refresh_expires_in!: number;

  @ApiProperty({
    description:
      'Also in the `csrf_token` cookie: send it as `X-CSRF-Token` on every request other than ' +
      'GET, HEAD and OPTIONS that the cookies authenticate',
  })
  csrf_token!: string;
}
