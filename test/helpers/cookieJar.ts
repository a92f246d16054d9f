import { parseSetCookie } from 'cookie-es';

/**
 * A minimal browser cookie jar for one origin: applies `Set-Cookie` lines (set, replace, delete on
 * `Max-Age<=0` or a past `Expires`), enforces the 4096-byte limit by dropping oversize lines as browsers
 * do, and renders the `Cookie` header.
 */
export class CookieJar {
  readonly cookies = new Map<string, string>();
  dropped = 0;

  apply(lines: string | string[] | undefined | null): void {
    for (const line of [lines ?? []].flat()) {
      if (new TextEncoder().encode(line).length > 4096) {
        this.dropped += 1;
        continue;
      }
      const cookie = parseSetCookie(line);
      if (!cookie) continue;
      const expired =
        (cookie.maxAge !== undefined && cookie.maxAge <= 0) || (cookie.expires !== undefined && cookie.expires.getTime() <= Date.now());
      if (expired) this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
  }

  /** Applies every `Set-Cookie` of a Fetch response. */
  applyResponse(response: Response | undefined): void {
    this.apply(response?.headers.getSetCookie() ?? []);
  }

  header(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${encodeURIComponent(value)}`).join('; ');
  }

  request(url = 'http://localhost:3000/'): Request {
    const cookie = this.header();
    return new Request(url, cookie ? { headers: { cookie } } : {});
  }
}
