import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { PRIVATE_CACHE_HEADERS } from '../core/session/headers.js';
import { appendHeaders } from './nodeHeaders.node.js';

/** When {@link enforcePrivateCache} marks a response private. */
export interface CacheRule {
  /** Every response (the middleware's `cacheHeaders` option). */
  always: boolean;
  /** The request was authenticated: the response may hold the user's data. */
  authenticated: boolean;
}

/**
 * Applies the cache rule when the response's headers are written, not before the route runs: a route that
 * sets its own `Cache-Control` (say `public, max-age=600`) cannot make a response that carries a cookie or
 * an authenticated user's data shared-cacheable. Private responses get `Cache-Control: private, no-store`
 * and `Cookie` in `Vary`. Covers `res.writeHead(status, headers)` and the implicit write of `res.end()`.
 */
export function enforcePrivateCache(res: ServerResponse, rule: CacheRule): void {
  const writeHead = res.writeHead;
  const patched = function (this: ServerResponse, statusCode: number, ...rest: unknown[]): ServerResponse {
    // Headers given to writeHead are merged the way Node merges them, so the rule sees (and wins over) them.
    const last = rest[rest.length - 1];
    const headers = typeof last === 'object' && last !== null ? (rest.pop() as OutgoingHttpHeaders | unknown[]) : undefined;
    if (headers) for (const [name, value] of headerEntries(headers)) this.setHeader(name, value);
    if (rule.always || rule.authenticated || this.hasHeader('set-cookie')) {
      this.removeHeader('cache-control');
      appendHeaders(this, PRIVATE_CACHE_HEADERS);
    }
    return (writeHead as (this: ServerResponse, statusCode: number, ...args: unknown[]) => ServerResponse).call(this, statusCode, ...rest);
  };
  res.writeHead = patched as ServerResponse['writeHead'];
}

/** A writeHead headers argument (an object, or Node's flat or nested raw array) as name → value(s). */
function headerEntries(headers: OutgoingHttpHeaders | unknown[]): [string, number | string | string[]][] {
  if (!Array.isArray(headers)) {
    return Object.entries(headers).filter((entry): entry is [string, number | string | string[]] => entry[1] !== undefined);
  }
  const pairs: [string, string][] = [];
  if (headers.every(Array.isArray)) for (const [name, value] of headers as [unknown, unknown][]) pairs.push([String(name), String(value)]);
  else for (let i = 0; i + 1 < headers.length; i += 2) pairs.push([String(headers[i]), String(headers[i + 1])]);
  const grouped = new Map<string, string[]>();
  for (const [name, value] of pairs) {
    const key = name.toLowerCase();
    grouped.set(key, [...(grouped.get(key) ?? []), value]);
  }
  return [...grouped].map(([name, values]) => [name, values.length === 1 ? (values[0] as string) : values]);
}
