import { CookieJar } from 'tough-cookie';

/**
 * A browser-like cookie jar (tough-cookie, RFC 6265bis): several origins, `Domain=` cookies shared with
 * sibling subdomains, `__Host-`/`__Secure-` prefix rules enforced, `Secure` cookies only over https,
 * expiry and deletion. Used to play attackers on a sibling subdomain.
 */
export class BrowserJar {
  private readonly jar = new CookieJar(undefined, { prefixSecurity: 'strict', rejectPublicSuffixes: true });

  /** Stores the `Set-Cookie` lines a response from `url` carried; lines the browser refuses are ignored. */
  async store(url: string, lines: string | string[] | undefined | null): Promise<void> {
    for (const line of [lines ?? []].flat()) await this.jar.setCookie(line, url, { ignoreError: true });
  }

  /** Stores every `Set-Cookie` of a Fetch response from `url`. */
  async storeResponse(url: string, response: Response | undefined): Promise<void> {
    await this.store(url, response?.headers.getSetCookie() ?? []);
  }

  /** The `Cookie` header the browser sends to `url`. */
  async header(url: string): Promise<string> {
    return this.jar.getCookieString(url);
  }

  /** Names of the cookies the browser sends to `url`. */
  async names(url: string): Promise<string[]> {
    return (await this.jar.getCookies(url)).map((cookie) => cookie.key);
  }

  /** A Fetch request to `url` carrying the browser's cookies for it. */
  async request(url: string, init: RequestInit = {}): Promise<Request> {
    const headers = new Headers(init.headers);
    const cookie = await this.header(url);
    if (cookie) headers.set('cookie', cookie);
    return new Request(url, { ...init, headers });
  }
}
