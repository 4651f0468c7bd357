import { Controller, Get, Header, NotFoundException, Req } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../auth/decorators/public.decorator';
import { SigningKeys, type JsonWebKeySet } from '../auth/signing-keys';
import { AppConfig } from '../config/app-config';
import { authorizationServerMetadata } from './authorization-server-metadata';
import { AuthorizationServerMetadataDto } from './dto/authorization-server-metadata.dto';

/** Served outside the API prefix (app.setup.ts), where clients look for them. */
export const WELL_KNOWN_PATHS = ['.well-known/oauth-authorization-server', '.well-known/jwks.json'];

/**
 * The discovery documents, outside the API prefix where clients look for them (RFC 8615). The
 * JWKS may be cached for ten minutes: a retired key must stay listed at least that long past
 * the last token it signed (docs/verifying-tokens.md, key rotation).
 */
@ApiTags('oauth')
@Public()
@Controller('.well-known')
export class WellKnownController {
  constructor(
    private readonly config: AppConfig,
    private readonly keys: SigningKeys,
  ) {}

  @Get('oauth-authorization-server')
  @ApiOperation({ summary: 'OAuth 2.0 authorization server metadata (RFC 8414)' })
  @ApiOkResponse({ type: AuthorizationServerMetadataDto })
  metadata(@Req() request: FastifyRequest): AuthorizationServerMetadataDto {
    return authorizationServerMetadata(this.config, request, this.keys.jwks !== undefined);
  }

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=600')
  @ApiOperation({
    summary: 'The public keys that verify access tokens (RS256 and ES256 only)',
    description: 'The current key and each previous key still listed, by `kid`.',
  })
  @ApiOkResponse({ description: '`{keys: [...]}`, public JWKs with kid, alg and use' })
  @ApiNotFoundResponse({ description: 'JWT_ALGORITHM is HS256: there is no public key' })
  jwks(): JsonWebKeySet {
    if (this.keys.jwks === undefined) {
      throw new NotFoundException('HS256 tokens have no public key');
    }
    return this.keys.jwks;
  }
}
