/** The claims of an access token, as this server writes and requires them. */
export interface AccessTokenClaims {
  sub: string;
  username: string;
  sid: string;
  jti: string;
  iat: number;
  exp: number;
  iss: string;
  aud: string;
}
