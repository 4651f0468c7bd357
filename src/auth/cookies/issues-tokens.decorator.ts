import { applyDecorators, Header, UseInterceptors } from '@nestjs/common';
import { ApiExtraModels, ApiHeader, ApiOkResponse, getSchemaPath } from '@nestjs/swagger';
import { CookieTokenResponseDto } from '../dto/cookie-token-response.dto';
import { TokenResponseDto } from '../dto/token-response.dto';
import { TokenTransportInterceptor } from './token-transport.interceptor';

/**
 * Marks a handler that returns a {@link TokenResponseDto}: the answer is never cached, and the
 * client chooses with `X-Auth-Transport` between the tokens in the body and HttpOnly cookies.
 * Documents both answers and the header.
 *
 * @example
 * ```ts
 * @Public()
 * @Post('login/mfa')
 * @HttpCode(HttpStatus.OK)
 * @IssuesTokens()
 * completeMfa(@Body() dto: MfaLoginDto): Promise<TokenResponseDto> { ... }
 * ```
 */
export const IssuesTokens = (): MethodDecorator =>
  applyDecorators(
    Header('Cache-Control', 'no-store'),
    Header('Pragma', 'no-cache'),
    UseInterceptors(TokenTransportInterceptor),
    ApiHeader({
      name: 'X-Auth-Transport',
      required: false,
      description:
        '`cookie`: set the tokens as HttpOnly cookies (`access_token`, `refresh_token`) with a ' +
        '`csrf_token` cookie, and answer without tokens (for browser apps). Default `bearer`.',
      schema: { type: 'string', enum: ['bearer', 'cookie'] },
    }),
    ApiExtraModels(TokenResponseDto, CookieTokenResponseDto),
    ApiOkResponse({
      description: 'The tokens in the body, or in cookies with `X-Auth-Transport: cookie`',
      schema: {
        oneOf: [
          { $ref: getSchemaPath(TokenResponseDto) },
          { $ref: getSchemaPath(CookieTokenResponseDto) },
        ],
      },
    }),
  );
