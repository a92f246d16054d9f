import type { OutgoingHttpHeaders, ServerResponse } from 'node:http';
import { mergeVary, PRIVATE_CACHE_HEADERS } from '../core/session/headers.js';

/** When {@link enforcePrivateCache} marks a response private. */
export interface CacheRule {
  /** Every response (the middleware's `cacheHeaders` option). */
  always: boolean;
  /** The request was authenticated: the response may hold the user's data. */
  authenticated: boolean;
}

type WriteHead = (this: ServerResponse, statusCode: number, ...args: unknown[]) => ServerResponse;
/** What a patched response keeps: its rule and the `writeHead` it had before (own or inherited). */
const RULE = Symbol('authkit.cacheRule');
const ORIGINAL = Symbol('authkit.writeHead');
type Patched = ServerResponse & { [RULE]: CacheRule; [ORIGINAL]: WriteHead };

const PRIVATE = PRIVATE_CACHE_HEADERS['Cache-Control'];
const VARY = PRIVATE_CACHE_HEADERS.Vary;

/**
 * Applies the cache rule when the response's headers are written, not before the route runs: a route that
 * sets its own `Cache-Control` (say `public, max-age=600`) cannot make a response that carries a cookie or
 * an authenticated user's data shared-cacheable. Private responses get `Cache-Control: private, no-store`
 * and `Cookie` in `Vary`. Covers `res.writeHead(status, headers)` and the implicit write of `res.end()`.
 * One shared `writeHead` serves every response (no function made per request); a second call on the same
 * response widens its rule (patching again could loop through another middleware's wrapper of ours).
 */
export function enforcePrivateCache(res: ServerResponse, rule: CacheRule): void {
  const patched = res as Patched;
  if (patched[RULE] !== undefined) {
    const { always, authenticated } = patched[RULE];
    patched[RULE] = { always: always || rule.always, authenticated: authenticated || rule.authenticated };
    return;
  }
  patched[RULE] = rule;
  patched[ORIGINAL] = res.writeHead as WriteHead;
  res.writeHead = privateWriteHead as ServerResponse['writeHead'];
}

/**
 * Marks `res` private: `Cache-Control: private, no-store` and `Cookie` in `Vary`; headers already so are
 * not set again (the common case at write time, after the middleware marked the response before the route).
 */
export function markPrivate(res: ServerResponse): void {
  if (res.getHeader('cache-control') !== PRIVATE) res.setHeader('Cache-Control', PRIVATE);
  const vary = res.getHeader('vary');
  if (vary === undefined) res.setHeader('Vary', VARY);
  else if (vary !== VARY) res.setHeader('Vary', mergeVary(Array.isArray(vary) ? vary.join(', ') : String(vary), VARY));
}

function privateWriteHead(this: Patched, statusCode: number, ...rest: unknown[]): ServerResponse {
  // Headers given to writeHead are merged the way Node merges them, so the rule sees (and wins over) them.
  const last = rest[rest.length - 1];
  const headers = typeof last === 'object' && last !== null ? (rest.pop() as OutgoingHttpHeaders | unknown[]) : undefined;
  if (headers) for (const [name, value] of headerEntries(headers)) this.setHeader(name, value);
  const rule = this[RULE];
  if (rule.always || rule.authenticated || this.hasHeader('set-cookie')) markPrivate(this);
  return this[ORIGINAL].call(this, statusCode, ...rest);
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
