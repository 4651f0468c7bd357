import type { FastifyRequest } from 'fastify';
import { API_PREFIX } from '../api-prefix';
import type { AppConfig } from '../config/app-config';
import type { AuthorizationServerMetadataDto } from './dto/authorization-server-metadata.dto';

export const JWKS_PATH = '.well-known/jwks.json';

/**
 * RFC 8414 metadata. The URLs are absolute, as the RFC requires: under PUBLIC_URL, or else
 * under the scheme and host the request came in with (which honour TRUST_PROXY's
 * X-Forwarded-Proto and X-Forwarded-Host).
 */
export function authorizationServerMetadata(
  config: AppConfig,
  request: FastifyRequest,
  hasJwks: boolean,
): AuthorizationServerMetadataDto {
  const base = config.publicUrl ?? `${request.protocol}://${request.host}`;
  const api = `${base}/${API_PREFIX}`;
  return {
    issuer: config.jwt.issuer,
    token_endpoint: `${api}/auth/login`,
    revocation_endpoint: `${api}/auth/revoke`,
    ...(config.introspectionToken === undefined
      ? {}
      : { introspection_endpoint: `${api}/auth/introspect` }),
    ...(hasJwks ? { jwks_uri: `${base}/${JWKS_PATH}` } : {}),
    grant_types_supported: ['password', 'refresh_token'],
    token_endpoint_auth_methods_supported: ['none'],
    revocation_endpoint_auth_methods_supported: ['none'],
    response_types_supported: [],
  };
}
