import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { AccessTokenClaims } from '../../auth/types/jwt-payload.type';

/** RFC 7662 §2.2: `{active: false}` alone, or the live access token's claims. */
export class IntrospectionResponseDto {
  @ApiProperty({
    description:
      'True for an access token whose signature and claims verify, whose session is live and ' +
      'whose user is active; false for anything else (refresh tokens included), with no other field',
  })
  active!: boolean;

  @ApiPropertyOptional({ description: 'The user id' })
  sub?: string;

  @ApiPropertyOptional()
  username?: string;

  @ApiPropertyOptional({ description: 'The session id' })
  sid?: string;

  @ApiPropertyOptional({ description: 'Expiry, seconds since the epoch' })
  exp?: number;

  @ApiPropertyOptional({ description: 'Issue time, seconds since the epoch' })
  iat?: number;

  @ApiPropertyOptional()
  iss?: string;

  @ApiPropertyOptional()
  aud?: string;

  @ApiPropertyOptional({ enum: ['access_token'] })
  token_type?: 'access_token';

  static inactive(): IntrospectionResponseDto {
    return { active: false };
  }

  static of(claims: AccessTokenClaims): IntrospectionResponseDto {
    const { sub, username, sid, exp, iat, iss, aud } = claims;
    return { active: true, sub, username, sid, exp, iat, iss, aud, token_type: 'access_token' };
  }
}
