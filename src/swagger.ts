import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { PUBLIC_OPERATION_EXTENSION } from './auth/decorators/public.decorator';
import { API_PREFIX } from './api-prefix';
import { INTROSPECTION_SCHEME } from './oauth/oauth-tokens.controller';

export const OAUTH2_SCHEME = 'oauth2';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

/**
 * Swagger UI at /docs and the OpenAPI document at /docs-json. The OAuth2 password flow points at
 * the login route, so the Authorize button signs in with a username and password; every route
 * without @Public() names that scheme, so the UI sends the token and shows the lock.
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
    .addBearerAuth(
      {
        type: 'http',
        scheme: 'bearer',
        description: 'INTROSPECTION_TOKEN (POST /auth/introspect)',
      },
      INTROSPECTION_SCHEME,
    )
    .build();
  const document = markProtectedOperations(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'nest-auth API',
    swaggerOptions: { persistAuthorization: true },
  });
}

/** Deny by default, in the document too: every operation not marked public gets the scheme. */
function markProtectedOperations(document: OpenAPIObject): OpenAPIObject {
  delete document.servers;
  for (const pathItem of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = pathItem[method] as
        (Record<string, unknown> & { security?: unknown }) | undefined;
      if (!operation) {
        continue;
      }
      if (operation[PUBLIC_OPERATION_EXTENSION]) {
        delete operation[PUBLIC_OPERATION_EXTENSION];
        continue;
      }
      operation.security = [{ [OAUTH2_SCHEME]: [] }];
      const responses = (operation.responses ??= {}) as Record<string, unknown>;
      responses['401'] ??= { description: 'Missing, invalid or revoked access token' };
    }
  }
  return document;
}
