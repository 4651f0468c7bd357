// A service that accepts the access tokens nest-auth issues, without sharing any secret with it.
//
//   AUTH_SERVER=http://127.0.0.1:3000 INTROSPECTION_TOKEN=... PORT=4000 node examples/resource-server/server.mjs
//
// GET /profile verifies the token locally against the JWKS (no call to nest-auth per request; a
// revoked token keeps working here until it expires). POST /transfers, where revocation must apply
// at once, asks nest-auth's introspection endpoint instead. See docs/verifying-tokens.md.
import { createServer } from 'node:http';
import { createRemoteJWKSet, jwtVerify } from 'jose';

const authServer = process.env.AUTH_SERVER ?? 'http://127.0.0.1:3000';
const audience = process.env.AUDIENCE ?? 'nest-auth-api';
const introspectionToken = process.env.INTROSPECTION_TOKEN;
const port = Number(process.env.PORT ?? 4000);

// RFC 8414 discovery: the issuer, the JWKS and the introspection endpoint, from one document.
const metadataResponse = await fetch(`${authServer}/.well-known/oauth-authorization-server`);
const metadata = await metadataResponse.json();
if (!metadata.jwks_uri) {
  throw new Error('nest-auth publishes no JWKS: set JWT_ALGORITHM=ES256 or RS256 there');
}

// Fetches the keys once, keeps them (and honours Cache-Control), and fetches again when a token
// names a kid it does not know yet, which is how a new signing key is picked up.
const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri));

/** The claims of a token whose signature, issuer, audience and expiry check out, or null. */
async function verifyLocally(token) {
  try {
    const { payload } = await jwtVerify(token, jwks, {
      issuer: metadata.issuer,
      audience,
      algorithms: ['ES256', 'RS256'],
    });
    return payload;
  } catch {
    return null;
  }
}

/** RFC 7662: the claims of a token nest-auth still considers live, or null. */
async function introspect(token) {
  if (!metadata.introspection_endpoint || !introspectionToken) {
    throw new Error('introspection needs INTROSPECTION_TOKEN, here and in nest-auth');
  }
  const response = await fetch(metadata.introspection_endpoint, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${introspectionToken}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({ token }),
  });
  if (!response.ok) {
    throw new Error(`introspection answered ${response.status}`);
  }
  const result = await response.json();
  return result.active === true ? result : null;
}

function bearerToken(request) {
  const match = /^Bearer ([A-Za-z0-9\-._~+/]+=*)$/i.exec(request.headers.authorization ?? '');
  return match?.[1] ?? null;
}

function send(response, status, body, headers = {}) {
  response.writeHead(status, { 'content-type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

const routes = {
  'GET /profile': async (token) => {
    const claims = await verifyLocally(token);
    return claims && { sub: claims.sub, username: claims.username, checkedBy: 'jwks' };
  },
  'POST /transfers': async (token) => {
    const claims = await introspect(token);
    return claims && { sub: claims.sub, accepted: true, checkedBy: 'introspection' };
  },
};

const server = createServer((request, response) => {
  const route = routes[`${request.method} ${request.url}`];
  if (!route) {
    send(response, 404, { message: 'Not found' });
    return;
  }
  const token = bearerToken(request);
  const answer = token === null ? Promise.resolve(null) : route(token);
  answer.then(
    (body) =>
      body
        ? send(response, 200, body)
        : send(
            response,
            401,
            { message: 'Invalid or missing access token' },
            {
              'www-authenticate': token === null ? 'Bearer' : 'Bearer error="invalid_token"',
            },
          ),
    (error) => send(response, 502, { message: String(error.message ?? error) }),
  );
});

server.listen(port, '127.0.0.1', () => {
  // One JSON line, so that a test (or a supervisor) can learn the port it got.
  console.log(JSON.stringify({ listening: server.address().port }));
});
