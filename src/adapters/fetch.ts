import type { AuthKitConfig } from '../core/config/types.js';
import { CookieSessionStorage } from '../core/session/CookieSessionStorage.js';
import { parseCookieHeader } from '../core/session/parseCookieHeader.js';
import type { HeadersBag } from '../core/session/types.js';

/**
 * Session storage for the Fetch API's `Request`/`Response` (Workers, Bun, Deno, Hono, Remix, SvelteKit,
 * TanStack Start, Node 18+). Reads cookies from the `Cookie` header; writes by returning a copy of the
 * response with the headers appended (each `Set-Cookie` its own header).
 */
export class FetchSessionStorage extends CookieSessionStorage<Request, Response> {
  constructor(config: AuthKitConfig) {
    super(config);
  }

  override async getCookie(request: Request, name: string): Promise<string | null> {
    return parseCookieHeader(request.headers.get('cookie'))[name] ?? null;
  }

  protected override async applyHeaders(response: Response | undefined, headers: HeadersBag): Promise<{ response: Response } | void> {
    if (!response) return undefined;
    return { response: withHeaders(response, headers) };
  }
}

/** A copy of `response` with every header of the bag appended (arrays become several headers). */
export function withHeaders(response: Response, headers: HeadersBag): Response {
  const copy = new Response(response.body, {
    status: response.status,
    statusText: response.statusText,
    headers: new Headers(response.headers),
  });
  for (const [name, value] of Object.entries(headers)) {
    for (const item of Array.isArray(value) ? value : [value]) copy.headers.append(name, item);
  }
  return copy;
}
