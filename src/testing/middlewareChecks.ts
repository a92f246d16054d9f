import { bagSetCookies, CheckSkipped, ensure, sessionLines, settingLines, type KitContext } from './context.js';
import { fakeSeal, terminalSeal } from './fixtures.js';
import { cookieName, CookieJar, isDeletion } from './jar.js';
import { ensureUser, pass } from './middlewareRun.js';
import type { CheckDefinition } from './storageChecks.js';
import type { ServiceUnderTest } from './types.js';

type AnyContext = KitContext<unknown, unknown, unknown>;

export async function terminalJar(ctx: AnyContext): Promise<CookieJar> {
  const sealed = ctx.options.terminalCookie ? await ctx.options.terminalCookie() : await terminalSeal(ctx.config);
  // A stale part from an earlier, larger session must go too.
  return new CookieJar({ [ctx.name]: sealed, [`${ctx.name}.1`]: 'stale-part', unrelated: 'keep' });
}

function routeLines(bag: { headers?: Record<string, string | string[]> }): string[] {
  return bagSetCookies(bag.headers);
}

export const MIDDLEWARE_CHECKS: CheckDefinition[] = [
  {
    name: 'middleware: a request without a session gets no session cookie',
    async run(ctx) {
      const run = await pass(ctx, new CookieJar({ unrelated: 'keep' }));
      const lines = sessionLines(run.setCookies, ctx.name);
      ensure(lines.length === 0, `wrote ${lines.length} session cookie line(s) for an anonymous request`);
      ensureUser(run, false);
      return 'no session cookie written, cache headers present';
    },
  },
  {
    name: 'middleware: a refreshed session is persisted',
    async run(ctx) {
      if (!ctx.options.expiredCookie) throw new CheckSkipped('no options.expiredCookie given');
      const expired = await ctx.options.expiredCookie();
      const jar = new CookieJar({ [ctx.name]: expired });
      const run = await pass(ctx, jar);
      const written = settingLines(sessionLines(run.setCookies, ctx.name));
      ensure(written.length > 0, 'the refreshed session was not written (no Set-Cookie for the session)');
      jar.apply(run.setCookies);
      ensure(jar.cookies.get(ctx.name) !== expired, 'the session cookie still holds the expired session');
      ensureUser(run, true);
      const service = ctx.options.service as ServiceUnderTest<unknown>;
      const next = await service.withAuth(await ctx.adapter.makeRequest(jar.wire()));
      ensure(next.auth.user, 'the persisted session does not authenticate');
      ensure(next.refreshedSessionData === undefined, 'the persisted session needs another refresh');
      return `${written.length} cookie(s) written; the next request authenticates without refreshing`;
    },
  },
  {
    name: 'middleware: the cookie and its parts are cleared on a terminal failure',
    async run(ctx) {
      const jar = await terminalJar(ctx);
      const run = await pass(ctx, jar);
      const deleted = sessionLines(run.setCookies, ctx.name).filter(isDeletion);
      ensure(
        deleted.some((line) => cookieName(line) === ctx.name),
        `no deletion of ${ctx.name}`,
      );
      jar.apply(run.setCookies);
      ensure(jar.sessionNames(ctx.name).length === 0, `the jar still holds ${jar.sessionNames(ctx.name).join(', ')}`);
      ensure(jar.cookies.get('unrelated') === 'keep', 'an unrelated cookie was touched');
      ensureUser(run, false);
      return `${deleted.length} deletion line(s)`;
    },
  },
  {
    name: "middleware: the route's own cookies come after the middleware's and win",
    async run(ctx) {
      const storage = ctx.adapter.makeStorage(ctx.config);
      const details: string[] = [];
      // The middleware clears a dead cookie while the route signs a user in.
      const signedIn = fakeSeal(600);
      const jar = await terminalJar(ctx);
      const signIn = routeLines(await storage.saveSession(undefined, signedIn));
      const run = await pass(ctx, jar, signIn);
      ensureEndsWith(run.setCookies, signIn);
      jar.apply(run.setCookies);
      ensure(jar.cookies.get(ctx.name) === signedIn, "the route's new session did not survive");
      details.push('sign-in after a terminal clear');
      if (ctx.options.expiredCookie) {
        // The middleware refreshes while the route signs the user out.
        const refreshing = new CookieJar({ [ctx.name]: await ctx.options.expiredCookie() });
        const signOut = routeLines(await storage.clearSession(undefined));
        const out = await pass(ctx, refreshing, signOut);
        ensureEndsWith(out.setCookies, signOut);
        ensure(settingLines(sessionLines(out.setCookies, ctx.name)).length > 0, 'the refreshed session was not written');
        refreshing.apply(out.setCookies);
        ensure(refreshing.sessionNames(ctx.name).length === 0, 'the refreshed session outlived the sign-out');
        details.push('sign-out after a refresh');
      }
      return details.join('; ');
    },
  },
];

/** The route's lines must be the last ones, in order: browsers apply `Set-Cookie` lines in order. */
function ensureEndsWith(lines: string[], route: string[]): void {
  const tail = lines.slice(lines.length - route.length);
  ensure(
    route.length > 0 && lines.length >= route.length && tail.every((line, index) => line === route[index]),
    `the route's ${route.length} Set-Cookie line(s) are not the last ones (${lines.length} in all): a middleware line comes after them or they are missing`,
  );
}
