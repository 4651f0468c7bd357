import {
  Body,
  Controller,
  Header,
  HttpCode,
  HttpStatus,
  Post,
  Req,
  UseGuards,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiSecurity,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { FastifyRequest } from 'fastify';
import { Public } from '../auth/decorators/public.decorator';
import { TokenEndpoint } from '../auth/decorators/token-endpoint.decorator';
import { clientInfoOf } from '../common/client-info';
import { IntrospectTokenDto } from './dto/introspect-token.dto';
import { IntrospectionResponseDto } from './dto/introspection-response.dto';
import { RevokeTokenDto } from './dto/revoke-token.dto';
import { IntrospectionCallerGuard } from './introspection-caller.guard';
import { OAuthTokensService } from './oauth-tokens.service';

export const INTROSPECTION_SCHEME = 'introspection';

@ApiTags('oauth')
@Controller('auth')
export class OAuthTokensController {
  constructor(private readonly oauthTokens: OAuthTokensService) {}

  @Public()
  // RFC 7009 §2.2.1: its errors are RFC 6749 §5.2 errors, like the token endpoint's.
  @TokenEndpoint()
  @Post('revoke')
  @HttpCode(HttpStatus.OK)
  // The body is empty (RFC 7009 §2.2); clients that parse every answer strictly as JSON
  // (simple-oauth2, through @hapi/wreck) refuse it unless it is labelled JSON.
  @Header('Content-Type', 'application/json')
  @Header('Cache-Control', 'no-store')
  @ApiOperation({
    summary: 'Revoke a refresh or access token (RFC 7009)',
    description:
      'Ends the session the token belongs to, so its access and refresh tokens are refused from ' +
      'the next request. Answers 200 with an empty body for any token, known or not; ' +
      '`token_type_hint` is ignored.',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: RevokeTokenDto })
  @ApiOkResponse({ description: 'Done (or nothing to do); empty body' })
  @ApiBadRequestResponse({ description: '`token` missing or not a string (`invalid_request`)' })
  async revoke(@Body() dto: RevokeTokenDto, @Req() request: FastifyRequest): Promise<void> {
    await this.oauthTokens.revoke(dto.token, clientInfoOf(request));
  }

  @Public()
  @UseGuards(IntrospectionCallerGuard)
  @Post('introspect')
  @HttpCode(HttpStatus.OK)
  @Header('Cache-Control', 'no-store')
  @ApiSecurity(INTROSPECTION_SCHEME)
  @ApiOperation({
    summary: 'Introspect an access token (RFC 7662)',
    description:
      'For services that need live revocation rather than local verification against the ' +
      'JWKS. Needs `Authorization: Bearer <INTROSPECTION_TOKEN>`.',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: IntrospectTokenDto })
  @ApiOkResponse({ type: IntrospectionResponseDto })
  @ApiBadRequestResponse({ description: '`token` missing or not a string' })
  @ApiUnauthorizedResponse({ description: 'Missing or wrong introspection token' })
  @ApiNotFoundResponse({ description: 'INTROSPECTION_TOKEN is not set' })
  introspect(@Body() dto: IntrospectTokenDto): Promise<IntrospectionResponseDto> {
    return this.oauthTokens.introspect(dto.token);
  }
}
