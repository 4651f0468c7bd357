import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { API_PREFIX } from './api-prefix';
import { ACCESS_TOKEN_COOKIE } from './auth/cookies/auth-cookies';
import { PUBLIC_OPERATION_EXTENSION } from './auth/decorators/public.decorator';
import { INTROSPECTION_SCHEME } from './oauth/oauth-tokens.controller';

export const OAUTH2_SCHEME = 'oauth2';
/**
 * A second way in, for accounts with a second factor: Swagger UI's password dialog has no field
 * for a code, so such a user runs POST /auth/login and /auth/login/mfa with "Try it out" and
 * pastes the access token here.
 */
export const BEARER_SCHEME = 'bearer';
/** The access_token cookie of the browser transport (X-Auth-Transport: cookie). */
export const COOKIE_SCHEME = 'cookie';
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
 * without @Public() names that scheme, so the UI sends the token and shows the lock. The
 * document also names the access_token cookie as an alternative (browser apps).
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
  SwaggerModule.setup('docs', app, withoutCookieScheme(document), {
    raw: false,
    customSiteTitle: 'nest-auth API',
    customCss: `${AUTHORIZE_DIALOG_CSS} { display: none; }`,
    swaggerOptions: { persistAuthorization: true, responseInterceptor: showLoginErrorMessage },
  });
  SwaggerModule.setup('docs', app, document, { ui: false, jsonDocumentUrl: 'docs-json' });
}

/**
 * The document Swagger UI shows: no cookie scheme. A page cannot set a Cookie header, so a cookie
 * box in its Authorize dialog could never work; the served document (/docs-json) keeps it.
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
 * any of which will do (entries of `security` are alternatives).
 */
function markProtectedOperations(document: OpenAPIObject): OpenAPIObject {
  delete document.servers;
  for (const operation of operationsOf(document)) {
    const marked = operation as typeof operation & Record<string, unknown>;
    if (marked[PUBLIC_OPERATION_EXTENSION]) {
      delete marked[PUBLIC_OPERATION_EXTENSION];
      continue;
    }
    operation.security = [
      { [OAUTH2_SCHEME]: [] },
      { [BEARER_SCHEME]: [] },
      { [COOKIE_SCHEME]: [] },
    ];
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
