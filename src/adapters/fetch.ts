import type { AuthKitConfig } from '../core/config/types.js';
import { CookieHeaderMemo } from '../core/session/cookieHeaderMemo.js';
import { CookieSessionStorage } from '../core/session/CookieSessionStorage.js';
import { parseCookieHeader } from '../core/session/parseCookieHeader.js';
import type { HeadersBag } from '../core/session/types.js';
import { appendHeaders } from './fetchMiddleware.js';

/**
 * Session storage for the Fetch API's `Request`/`Response` (Workers, Bun, Deno, Hono, Remix, SvelteKit,
 * TanStack Start, Node 18+). Reads cookies from the `Cookie` header; writes by returning a copy of the
 * response with the headers appended (each `Set-Cookie` its own header).
 */
export class FetchSessionStorage extends CookieSessionStorage<Request, Response> {
  private readonly cookieHeader = new CookieHeaderMemo((header) => this.parseCookieHeader(header));

  constructor(config: AuthKitConfig) {
    super(config);
  }

  override async getCookie(request: Request, name: string): Promise<string | null> {
    return this.cookieHeader.read(request.headers.get('cookie'))[name] ?? null;
  }

  override async getCookies(request: Request): Promise<Record<string, string>> {
    return { ...this.cookieHeader.read(request.headers.get('cookie')) };
  }

  /**
   * Parses a `Cookie` header into name → URL-decoded value. Called once per header: every cookie read from
   * the same header (each part of a split session, the parts a write looks for) shares that parse.
   */
  protected parseCookieHeader(header: string): Record<string, string> {
    return parseCookieHeader(header);
  }

  protected override async applyHeaders(response: Response | undefined, headers: HeadersBag): Promise<{ response: Response } | void> {
    if (!response) return undefined;
    return { response: appendHeaders(response, headers) };
  }
}

export { appendHeaders as withHeaders, appendHeaders, PRIVATE_CACHE_HEADERS, withAuthHandler } from './fetchMiddleware.js';
export { mergeHeaders } from '../core/session/headers.js';
export type { AuthenticatedHandler, AuthenticatedHandlerContext, FetchAuthService } from './fetchMiddleware.js';
