import { parseSetCookie } from 'cookie-es';
import { partName } from '../core/session/chunks.js';
import { ensure, preview, settingLines, write, type KitContext } from './context.js';
import { fakeSeal } from './fixtures.js';
import { cookieName, isDeletion } from './jar.js';
import type { CheckDefinition } from './storageChecks.js';

type AnyContext = KitContext<unknown, unknown, unknown>;

/** The attributes every session cookie must carry for `config`, as the library writes them. */
function expectedAttributes(ctx: AnyContext): { secure: boolean; sameSite: string; domain: string | undefined } {
  const sameSite = String(ctx.config.cookieSameSite ?? 'lax').toLowerCase();
  const plainHttp = /^http:/i.test(ctx.config.redirectUri);
  return { secure: sameSite === 'none' || !plainHttp, sameSite, domain: ctx.config.cookieDomain || undefined };
}

/** Fails unless `line` carries HttpOnly, Path=/, the SameSite and Secure the configuration asks for. */
function ensureAttributes(ctx: AnyContext, line: string, what: string): void {
  const cookie = parseSetCookie(line);
  ensure(cookie, `${what}: cannot parse ${preview(line)}`);
  const expected = expectedAttributes(ctx);
  const name = cookieName(line);
  ensure(cookie.path === '/', `${what}: ${name} has Path=${cookie.path ?? '(none)'}, expected /`);
  ensure(
    cookie.domain?.replace(/^\./, '') === expected.domain?.replace(/^\./, ''),
    `${what}: ${name} has Domain=${cookie.domain ?? '(none)'}`,
  );
  if (isDeletion(line)) return; // a deletion only needs to name the same cookie (path and domain)
  ensure(cookie.httpOnly === true, `${what}: ${name} lacks HttpOnly (scripts could read the session)`);
  ensure(!expected.secure || cookie.secure === true, `${what}: ${name} lacks Secure (it would travel over plain http)`);
  const sameSite = typeof cookie.sameSite === 'string' ? cookie.sameSite.toLowerCase() : String(cookie.sameSite ?? '(none)');
  ensure(sameSite === expected.sameSite, `${what}: ${name} has SameSite=${sameSite}, expected ${expected.sameSite}`);
}

export const COOKIE_CHECKS: CheckDefinition[] = [
  {
    name: 'save and clear: every cookie carries HttpOnly, Secure, SameSite and Path=/',
    async run(ctx) {
      const storage = ctx.adapter.makeStorage(ctx.config);
      let checked = 0;
      for (const [seal, what] of [
        [fakeSeal(1200), 'saveSession'],
        [fakeSeal(9 * 1024), 'saveSession (large)'],
        [null, 'clearSession'],
      ] as const) {
        const { lines } = await write(ctx, storage, seal);
        for (const line of lines) ensureAttributes(ctx, line, what);
        checked += seal === null ? lines.length : settingLines(lines).length;
      }
      const { secure, sameSite } = expectedAttributes(ctx);
      return `${checked} lines: HttpOnly${secure ? ', Secure' : ''}, SameSite=${sameSite}, Path=/`;
    },
  },
  {
    name: 'getCookie: the first of duplicate cookies wins, a later duplicate cannot override it',
    async run(ctx) {
      const storage = ctx.adapter.makeStorage(ctx.config);
      const first = fakeSeal(300);
      const later = fakeSeal(300);
      // A sibling subdomain or a path cookie can add a second cookie of the same name to the header.
      const part = partName(ctx.name, 1);
      const request = await ctx.adapter.makeRequest({
        [ctx.name]: `${encodeURIComponent(first)}; ${ctx.name}=${encodeURIComponent(later)}`,
        [part]: `first-part; ${part}=later-part`,
      });
      const got = await storage.getCookie(request, ctx.name);
      ensure(
        got === first,
        `getCookie gave ${got === later ? 'the later duplicate' : JSON.stringify(got && preview(got))}, expected the first`,
      );
      const session = await storage.getSession(request);
      ensure(session === first, 'getSession gave another value than the first duplicate');
      ensure((await storage.getCookie(request, part)) === 'first-part', `getCookie(${part}) did not give the first duplicate`);
      return `${ctx.name} and ${part}: the first value of each`;
    },
  },
];
