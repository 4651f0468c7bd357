import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { API_PREFIX } from './api-prefix';
import { ACCESS_TOKEN_COOKIE } from './auth/cookies/auth-cookies';
import { PUBLIC_OPERATION_EXTENSION } from './auth/decorators/public.decorator';

export const OAUTH2_SCHEME = 'oauth2';
/** The access_token cookie of the browser transport (X-Auth-Transport: cookie). */
export const COOKIE_SCHEME = 'cookie';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

/**
 * Swagger UI at /docs and the OpenAPI document at /docs-json. The OAuth2 password flow points at
 * the login route, so the Authorize button signs in with a username and password; every route
 * without @Public() names that scheme, so the UI sends the token and shows the lock. The
 * document also names the access_token cookie as the alternative (browser apps).
 */
export function setupSwagger(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('nest-auth')
    .setDescription(
      'Authentication and user management: JWT access tokens, rotating refresh tokens, roles.',
    )
    .setVersion('1.0')
    .addOAuth2(
      {
        type: 'oauth2',
        description: 'Sign in with your email or username and password',
        flows: { password: { tokenUrl: `/${API_PREFIX}/auth/login`, scopes: {} } },
      },
      OAUTH2_SCHEME,
    )
    .addCookieAuth(
      ACCESS_TOKEN_COOKIE,
      {
        type: 'apiKey',
        in: 'cookie',
        name: ACCESS_TOKEN_COOKIE,
        description:
          'The HttpOnly cookie a login with `X-Auth-Transport: cookie` sets (browser apps); ' +
          'requests other than GET, HEAD and OPTIONS also need `X-CSRF-Token`',
      },
      COOKIE_SCHEME,
    )
    .build();
  const document = markProtectedOperations(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup('docs', app, withoutCookieScheme(document), {
    raw: false,
    customSiteTitle: 'nest-auth API',
    swaggerOptions: { persistAuthorization: true },
  });
  SwaggerModule.setup('docs', app, document, { ui: false, jsonDocumentUrl: 'docs-json' });
}

/**
 * The document Swagger UI shows: bearer only. A page cannot set a Cookie header, so a cookie box
 * in its Authorize dialog could never work; the served document (/docs-json) keeps the scheme.
 */
function withoutCookieScheme(document: OpenAPIObject): OpenAPIObject {
  const copy = structuredClone(document);
  delete copy.components?.securitySchemes?.[COOKIE_SCHEME];
  for (const operation of operationsOf(copy)) {
    if (operation.security) {
      operation.security = operation.security.filter((option) => !(COOKIE_SCHEME in option));
    }
  }
  return copy;
}

/**
 * Deny by default, in the document too: every operation not marked public gets the schemes,
 * the bearer token or (an alternative) the access_token cookie.
 */
function markProtectedOperations(document: OpenAPIObject): OpenAPIObject {
  delete document.servers;
  for (const operation of operationsOf(document)) {
    const marked = operation as typeof operation & Record<string, unknown>;
    if (marked[PUBLIC_OPERATION_EXTENSION]) {
      delete marked[PUBLIC_OPERATION_EXTENSION];
      continue;
    }
    operation.security = [{ [OAUTH2_SCHEME]: [] }, { [COOKIE_SCHEME]: [] }];
    operation.responses['401'] ??= { description: 'Missing, invalid or revoked access token' };
  }
  return document;
}

type OperationObject = NonNullable<OpenAPIObject['paths'][string]['get']>;

function operationsOf(document: OpenAPIObject): OperationObject[] {
  return Object.values(document.paths).flatMap((pathItem) =>
    HTTP_METHODS.flatMap((method) => pathItem[method] ?? []),
  );
}
