import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AuthKitConfig } from '../core/config/types.js';
import { CookieHeaderMemo } from '../core/session/cookieHeaderMemo.js';
import { CookieSessionStorage } from '../core/session/CookieSessionStorage.js';
import { parseCookieHeader } from '../core/session/parseCookieHeader.js';
import type { HeadersBag } from '../core/session/types.js';
import { appendHeaders } from './nodeHeaders.node.js';

/**
 * Session storage for Node's `IncomingMessage`/`ServerResponse` (plain `node:http`, Express, Connect,
 * Fastify's raw objects). Reads cookies from `req.headers.cookie`; writes onto the response in place, each
 * `Set-Cookie` its own header after any already set. Without a response, headers are returned as a bag.
 *
 * @example
 * const service = createAuthService<IncomingMessage, ServerResponse>({
 *   sessionStorageFactory: (config) => new NodeSessionStorage(config),
 * });
 */
export class NodeSessionStorage extends CookieSessionStorage<IncomingMessage, ServerResponse> {
  private readonly cookieHeader = new CookieHeaderMemo((header) => this.parseCookieHeader(header));

  constructor(config: AuthKitConfig) {
    super(config);
  }

  override async getCookie(request: IncomingMessage, name: string): Promise<string | null> {
    return this.cookieHeader.read(request.headers.cookie)[name] ?? null;
  }

  override async getCookies(request: IncomingMessage): Promise<Record<string, string>> {
    return { ...this.cookieHeader.read(request.headers.cookie) };
  }

  /**
   * Parses a `Cookie` header into name → URL-decoded value. Called once per header: every cookie read from
   * the same header (each part of a split session, the parts a write looks for) shares that parse.
   */
  protected parseCookieHeader(header: string): Record<string, string> {
    return parseCookieHeader(header);
  }

  protected override async applyHeaders(
    response: ServerResponse | undefined,
    headers: HeadersBag,
  ): Promise<{ response: ServerResponse } | void> {
    if (!response) return undefined;
    return { response: appendHeaders(response, headers) };
  }
}

export { appendHeaders } from './nodeHeaders.node.js';
export { authkitMiddleware, getAuth, getAuthSession } from './nodeMiddleware.node.js';
export type { AuthkitMiddlewareOptions, AuthkitRequest, NextFunction, NodeAuthService } from './nodeMiddleware.node.js';
export { mergeHeaders } from '../core/session/headers.js';
export { PRIVATE_CACHE_HEADERS } from '../core/session/headers.js';
export { checkNodeRequestCsrf } from './nodeCsrf.node.js';
