import { CheckSkipped, ensure, ensureCacheHeaders, ensureSeparateLines, fail, headerOf, type KitContext } from './context.js';
import { cookieHeader, type CookieJar } from './jar.js';
import type { MiddlewareRun } from './types.js';

type AnyContext = KitContext<unknown, unknown, unknown>;

/**
 * Runs the middleware for the jar's cookies, with a route that appends `routeSetCookies`, through
 * `options.service` (or `service`). Fails, never skips, when the harness reports no response headers: every
 * response the middleware touched must be checked for its cache headers.
 */
export async function pass(ctx: AnyContext, jar: CookieJar, routeSetCookies: string[] = [], service?: unknown): Promise<MiddlewareRun> {
  const { middleware } = ctx.adapter;
  const through = service ?? ctx.options.service;
  if (!middleware) throw new CheckSkipped('no adapter.middleware given');
  if (!through) throw new CheckSkipped('no options.service given');
  const wire = jar.wire();
  const run = await middleware(through, await ctx.adapter.makeRequest(wire), { cookieHeader: cookieHeader(wire), routeSetCookies });
  ensure(Array.isArray(run.setCookies), 'middleware did not report setCookies');
  ensureSeparateLines(run.setCookies, 'middleware');
  if (!run.headers) fail('the harness reported no response headers (MiddlewareRun.headers), so the cache headers cannot be checked');
  ensureCacheHeaders((name) => headerOf(run.headers, name), 'middleware');
  return run;
}

/** Fails when the harness reports a user that contradicts `signedIn`. */
export function ensureUser(run: MiddlewareRun, signedIn: boolean): void {
  if (run.user === undefined) return;
  ensure(signedIn ? run.user !== null : run.user === null, `the route saw ${run.user ? `user ${run.user.id}` : 'no user'}`);
}
