import type { Response } from 'supertest';

/** One `Set-Cookie` header, read the way a browser reads it (attribute names lower-cased). */
export interface SetCookie {
  name: string;
  value: string;
  attributes: Record<string, string | true>;
}

/** The response's `Set-Cookie` headers by cookie name. */
export function setCookiesOf(response: Response): Map<string, SetCookie> {
  const header = response.headers['set-cookie'] as string[] | string | undefined;
  const lines = header === undefined ? [] : Array.isArray(header) ? header : [header];
  return new Map(lines.map(parseSetCookie).map((cookie) => [cookie.name, cookie]));
}

function parseSetCookie(line: string): SetCookie {
  const [pair, ...attributeParts] = line.split(';').map((part) => part.trim());
  const separator = pair.indexOf('=');
  const attributes: Record<string, string | true> = {};
  for (const part of attributeParts) {
    const equals = part.indexOf('=');
    if (equals === -1) {
      attributes[part.toLowerCase()] = true;
    } else {
      attributes[part.slice(0, equals).toLowerCase()] = part.slice(equals + 1);
    }
  }
  return {
    name: pair.slice(0, separator),
    value: decodeURIComponent(pair.slice(separator + 1)),
    attributes,
  };
}

/**
 * A browser's cookie store, cut down to what the tests need: it keeps what `Set-Cookie` says,
 * drops a cookie set with `Max-Age=0`, and sends a cookie only to paths under its `Path`.
 * (Secure is not enforced: supertest speaks plain HTTP to the app.)
 */
export class CookieJar {
  private readonly cookies = new Map<string, SetCookie>();

  store(response: Response): this {
    for (const cookie of setCookiesOf(response).values()) {
      if (cookie.attributes['max-age'] === '0') {
        this.cookies.delete(cookie.name);
      } else {
        this.cookies.set(cookie.name, cookie);
      }
    }
    return this;
  }

  get(name: string): string | undefined {
    return this.cookies.get(name)?.value;
  }

  /** A copy, to replay old cookies later (a stolen or stale jar). */
  clone(): CookieJar {
    const copy = new CookieJar();
    for (const [name, cookie] of this.cookies) {
      copy.cookies.set(name, cookie);
    }
    return copy;
  }

  /** The `Cookie` header a browser sends to `path`. */
  headerFor(path: string): string {
    const pathname = path.split('?')[0];
    return [...this.cookies.values()]
      .filter(({ attributes }) => {
        const cookiePath = typeof attributes.path === 'string' ? attributes.path : '/';
        return (
          pathname === cookiePath ||
          pathname.startsWith(cookiePath.endsWith('/') ? cookiePath : `${cookiePath}/`)
        );
      })
      .map(({ name, value }) => `${name}=${value}`)
      .join('; ');
  }
}
