import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { PUBLIC_OPERATION_EXTENSION } from './auth/decorators/public.decorator';
import { API_PREFIX } from './api-prefix';

export const OAUTH2_SCHEME = 'oauth2';
/**
 * A second way in, for accounts with a second factor: Swagger UI's password dialog has no field
 * for a code, so such a user runs POST /auth/login and /auth/login/mfa with "Try it out" and
 * pastes the access token here.
 */
export const BEARER_SCHEME = 'bearer';
const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

/** The top of /docs: what to do first, in the order that works. */
const DOCS_DESCRIPTION = `Authentication and user management: JWT access tokens, rotating refresh tokens, roles.

**First steps**

1. Create an account: open \`POST /api/v1/auth/register\`, click **Try it out**, fill in the body, **Execute**.
2. Click **Authorize**, enter your email or username and your password, then **Authorize** and **Close**.
3. Call a route with a lock: \`GET /api/v1/users/me\`, **Try it out**, **Execute**: 200 with your user.

The access token lasts 15 minutes by default; when calls answer 401, **Authorize**, **Logout** and sign in again.`;

/**
 * The Authorize dialog shows what a password flow with client credentials needs; this API has no
 * OAuth clients and no scopes (the OpenAPI document must still declare \`scopes: {}\`). Hidden:
 * Swagger UI's stock scope explanation, the client_id / client_secret fields (and the
 * \`client_secret: ******\` line after sign-in), and the client-credentials location.
 */
const AUTHORIZE_DIALOG_CSS = [
  '.swagger-ui .auth-container .scope-def',
  // Swagger UI suffixes the ids with the flow (`client_secret_password`).
  ...['client_id', 'client_secret', 'password_type'].map(
    (field) => `.swagger-ui .auth-container .wrapper:has(> label[for^="${field}"])`,
  ),
].join(',\n');

interface SwaggerClientResponse {
  ok: boolean;
  url: string;
  text?: unknown;
  /** What the Authorize dialog reads a failed sign-in from (Try it out shows \`text\`). */
  data?: unknown;
}

/**
 * Swagger UI's \`responseInterceptor\`, serialised into the page, so it must stand alone. The
 * Authorize dialog reports a failed sign-in from the OAuth2 \`error_description\` field only
 * ("Unauthorized" otherwise): copy the server's message there, so a wrong password, a disabled
 * account or the login limit says so.
 */
export function showLoginErrorMessage(response: SwaggerClientResponse): SwaggerClientResponse {
  if (response.ok || typeof response.text !== 'string') {
    return response;
  }
  try {
    if (!new URL(response.url).pathname.endsWith('/auth/login')) {
      return response;
    }
    const body = JSON.parse(response.text) as { message?: unknown };
    const message = Array.isArray(body.message) ? body.message.join('; ') : body.message;
    if (typeof message === 'string') {
      response.data = JSON.stringify({ error_description: message });
    }
  } catch {
    // Not JSON or not a URL: leave the response as it came.
  }
  return response;
}

/**
 * Swagger UI at /docs and the OpenAPI document at /docs-json. The OAuth2 password flow points at
 * the login route, so the Authorize button signs in with a username and password; every route
 * without @Public() names that scheme, so the UI sends the token and shows the lock.
 */
export function setupSwagger(app: INestApplication): void {
  const config = new DocumentBuilder()
    .setTitle('nest-auth')
    .setDescription(DOCS_DESCRIPTION)
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
        bearerFormat: 'JWT',
        description:
          'An access token, e.g. the one POST /api/v1/auth/login/mfa answers to an account ' +
          'with a second factor (the OAuth2 dialog cannot send its code)',
      },
      BEARER_SCHEME,
    )
    .build();
  const document = markProtectedOperations(SwaggerModule.createDocument(app, config));
  SwaggerModule.setup('docs', app, document, {
    jsonDocumentUrl: 'docs-json',
    customSiteTitle: 'nest-auth API',
    customCss: `${AUTHORIZE_DIALOG_CSS} { display: none; }`,
    swaggerOptions: { persistAuthorization: true, responseInterceptor: showLoginErrorMessage },
  });
}

/**
 * Deny by default, in the document too: every operation not marked public gets the schemes,
 * either of which will do (two entries of `security` are alternatives).
 */
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
      operation.security = [{ [OAUTH2_SCHEME]: [] }, { [BEARER_SCHEME]: [] }];
      const responses = (operation.responses ??= {}) as Record<string, unknown>;
      responses['401'] ??= { description: 'Missing, invalid or revoked access token' };
    }
  }
  return document;
}
