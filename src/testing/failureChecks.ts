import { CheckSkipped, ensure, sessionLines, settingLines, type KitContext } from './context.js';
import { CookieJar, isDeletion } from './jar.js';
import { ensureUser, pass } from './middlewareRun.js';
import type { CheckDefinition } from './storageChecks.js';
import type { ServiceUnderTest } from './types.js';

type AnyContext = KitContext<unknown, unknown, unknown>;

async function expiredOf(ctx: AnyContext): Promise<string> {
  if (!ctx.options.expiredCookie) throw new CheckSkipped('no options.expiredCookie given');
  return ctx.options.expiredCookie();
}

export const FAILURE_CHECKS: CheckDefinition[] = [
  {
    name: 'middleware: a plain authenticated page (no new cookie) is private',
    async run(ctx) {
      // A current session: the cookie the middleware saved after refreshing an expired one.
      const jar = new CookieJar({ [ctx.name]: await expiredOf(ctx) });
      jar.apply((await pass(ctx, jar)).setCookies);
      const service = ctx.options.service as ServiceUnderTest<unknown>;
      const check = await service.withAuth(await ctx.adapter.makeRequest(jar.wire()));
      ensure(check.auth.user && check.refreshedSessionData === undefined, 'the saved session does not authenticate without a refresh');
      const run = await pass(ctx, jar); // the cache headers are checked there
      const written = settingLines(sessionLines(run.setCookies, ctx.name));
      ensure(written.length === 0, `a current session was written again (${written.length} line(s))`);
      ensureUser(run, true);
      return 'Cache-Control private, no-store and Vary Cookie on an authenticated response without Set-Cookie';
    },
  },
  {
    name: 'middleware: the cookie is kept when WorkOS is unavailable (a transient failure)',
    async run(ctx) {
      const transient = ctx.options.transientService;
      if (!transient) throw new CheckSkipped('no options.transientService given');
      const expired = await expiredOf(ctx);
      const probe = await transient.withAuth(await ctx.adapter.makeRequest(new CookieJar({ [ctx.name]: expired }).wire()));
      ensure(
        probe.auth.user === null && (probe.auth as { retryable?: unknown }).retryable === true,
        'options.transientService did not answer the expired cookie with a transient failure: point it at a WorkOS that answers 503',
      );
      const jar = new CookieJar({ [ctx.name]: expired, unrelated: 'keep' });
      const run = await pass(ctx, jar, [], transient);
      const touched = sessionLines(run.setCookies, ctx.name);
      ensure(
        touched.length === 0,
        `the middleware wrote ${touched.filter(isDeletion).length} deletion(s) and ${settingLines(touched).length} other session line(s) while WorkOS was unavailable: the user would be signed out`,
      );
      ensureUser(run, false);
      jar.apply(run.setCookies);
      ensure(jar.cookies.get(ctx.name) === expired, 'the session cookie changed during a transient failure');
      return 'no session cookie written or deleted; the next request can refresh';
    },
  },
];
