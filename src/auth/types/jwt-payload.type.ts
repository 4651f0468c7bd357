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
  /**
   * How the session signed in (RFC 8176): `["pwd"]` or `["pwd", "otp"]`. Optional only for
   * tokens issued before it existed, still in flight.
   */
  amr?: string[];
}
