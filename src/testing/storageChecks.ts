import { parseSetCookie } from 'cookie-es';
import { partName, readPartCount } from '../core/session/chunks.js';
import {
  bagSetCookies,
  CheckSkipped,
  ensure,
  ensureCacheHeaders,
  ensureSeparateLines,
  fail,
  preview,
  sessionLines,
  settingLines,
  write,
  type KitContext,
} from './context.js';
import { fakeSeal } from './fixtures.js';
import { cookieName, CookieJar, isDeletion } from './jar.js';
import type { StorageUnderTest } from './types.js';

/** One check: resolves with what it verified, throws `CheckFailure` or `CheckSkipped`. */
export interface CheckDefinition {
  name: string;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  run(ctx: KitContext<any, any, any>): Promise<string>;
}

/** About 9 KB: three cookies or more. */
const LARGE_BYTES = 9 * 1024;
const SMALL_BYTES = 1200;

type AnyContext = KitContext<unknown, unknown, unknown>;

function storageOf(ctx: AnyContext): StorageUnderTest<unknown, unknown> {
  return ctx.adapter.makeStorage(ctx.config);
}

/** Reads the whole session from a request the way `AuthService` does, and also part by part. */
async function readBack(ctx: AnyContext, storage: StorageUnderTest<unknown, unknown>, jar: CookieJar): Promise<string | null> {
  const request = await ctx.adapter.makeRequest(jar.wire());
  const first = await storage.getSession(request);
  const recorded = first === null ? null : readPartCount(first);
  let joined = recorded ? recorded.firstPiece : first;
  for (let index = 1; recorded && joined !== null && index < recorded.count; index++) {
    const part = await storage.getCookie(request, partName(ctx.name, index));
    joined = part ? joined + part : null;
  }
  if (storage.readSession) {
    const whole = await storage.readSession(await ctx.adapter.makeRequest(jar.wire()));
    ensure(whole === joined, 'readSession and getSession + getCookie(part) disagree');
  }
  return joined;
}

export const STORAGE_CHECKS: CheckDefinition[] = [
  {
    name: 'save: a small session is exactly one Set-Cookie',
    async run(ctx) {
      const seal = fakeSeal(SMALL_BYTES);
      const { lines } = await write(ctx, storageOf(ctx), seal);
      ensure(lines.length === 1, `expected exactly one Set-Cookie, got ${lines.length}: ${lines.map(preview).join(' | ')}`);
      const [only] = lines as [string];
      ensure(cookieName(only) === ctx.name, `the cookie set is ${cookieName(only)}, expected ${ctx.name}`);
      ensure(parseSetCookie(only)?.value === seal, 'the cookie value does not decode to the saved session');
      return '1 cookie set, no deletions of parts the request did not carry';
    },
  },
  {
    name: 'save: a large session is split into cookies of at most 4096 bytes and read back whole',
    async run(ctx) {
      const storage = storageOf(ctx);
      const seal = fakeSeal(LARGE_BYTES);
      const { lines } = await write(ctx, storage, seal);
      ensureSeparateLines(lines, 'saveSession');
      const parts = settingLines(lines);
      ensure(parts.length >= 3, `a ${LARGE_BYTES}-byte session was written as ${parts.length} cookie(s)`);
      const jar = new CookieJar().apply(lines);
      ensure(jar.dropped === 0, `${jar.dropped} line(s) over 4096 bytes`);
      const back = await readBack(ctx, storage, jar);
      ensure(back === seal, `read back ${back === null ? 'null' : `${back.length} characters`}, expected ${seal.length}`);
      return `${parts.length} cookies (${parts.map((line) => line.length).join(', ')} bytes), read back identical`;
    },
  },
  {
    name: 'save: a smaller session deletes every stale part the request carried',
    async run(ctx) {
      const storage = storageOf(ctx);
      const jar = new CookieJar({ unrelated: 'keep' }).apply((await write(ctx, storage, fakeSeal(LARGE_BYTES))).lines);
      const before = jar.sessionNames(ctx.name).length;
      const small = fakeSeal(SMALL_BYTES);
      jar.apply((await write(ctx, storage, small, undefined, await ctx.adapter.makeRequest(jar.wire()))).lines);
      const names = jar.sessionNames(ctx.name);
      ensure(names.length === 1 && names[0] === ctx.name, `the jar still holds ${names.join(', ')}`);
      ensure(jar.cookies.get(ctx.name) === small, 'the jar does not hold the new session');
      ensure(jar.cookies.get('unrelated') === 'keep', 'an unrelated cookie was touched');
      ensure((await readBack(ctx, storage, jar)) === small, 'the small session does not read back');
      return `${before} cookies shrank to 1`;
    },
  },
  {
    name: 'clear: deletes the session cookie and every part the request carried',
    async run(ctx) {
      const storage = storageOf(ctx);
      const jar = new CookieJar().apply((await write(ctx, storage, fakeSeal(LARGE_BYTES))).lines);
      const before = jar.sessionNames(ctx.name).length;
      const { lines } = await write(ctx, storage, null, undefined, await ctx.adapter.makeRequest(jar.wire()));
      ensureSeparateLines(lines, 'clearSession');
      ensure(lines.length > 0 && lines.every(isDeletion), 'clearSession wrote a line that is not a deletion');
      jar.apply(lines);
      ensure(jar.sessionNames(ctx.name).length === 0, `the jar still holds ${jar.sessionNames(ctx.name).join(', ')}`);
      const request = await ctx.adapter.makeRequest(jar.wire());
      ensure((await storage.getSession(request)) === null, 'getSession is not null after clearing');
      return `${before} cookies deleted with ${lines.length} deletion lines`;
    },
  },
  {
    name: 'cache headers: Cache-Control private, no-store and Vary Cookie on save and clear',
    async run(ctx) {
      const storage = storageOf(ctx);
      ensureCacheHeaders((await write(ctx, storage, fakeSeal(SMALL_BYTES))).header, 'saveSession');
      ensureCacheHeaders((await write(ctx, storage, fakeSeal(LARGE_BYTES))).header, 'saveSession (large)');
      ensureCacheHeaders((await write(ctx, storage, null)).header, 'clearSession');
      return 'present on save, large save and clear';
    },
  },
  {
    name: 'save: Set-Cookie already on the response is kept, new lines appended',
    async run(ctx) {
      const storage = storageOf(ctx);
      const first = await write(ctx, storage, fakeSeal(SMALL_BYTES));
      if (first.viaBag) throw new CheckSkipped('the storage returns headers instead of writing the response');
      const second = await write(ctx, storage, fakeSeal(SMALL_BYTES), first.response);
      ensureSeparateLines(second.lines, 'second saveSession');
      const kept = second.lines.slice(0, first.lines.length);
      ensure(
        second.lines.length === 2 * first.lines.length && kept.every((line, index) => line === first.lines[index]),
        `after two saves the response has ${second.lines.length} Set-Cookie lines, expected the first ${first.lines.length} then ${first.lines.length} more`,
      );
      return `${first.lines.length} + ${first.lines.length} lines, in order`;
    },
  },
  {
    name: 'save and clear without a response return a headers bag',
    async run(ctx) {
      const storage = storageOf(ctx);
      const seal = fakeSeal(SMALL_BYTES);
      const saved = await storage.saveSession(undefined, seal);
      const savedLines = bagSetCookies(saved.headers);
      ensure(savedLines.length > 0, 'saveSession(undefined, …) returned no Set-Cookie in headers');
      ensure(parseSetCookie(settingLines(savedLines)[0] ?? '')?.value === seal, 'the bag does not set the session');
      const cleared = await storage.clearSession(undefined);
      const clearedLines = bagSetCookies(cleared.headers);
      ensure(clearedLines.length > 0 && clearedLines.every(isDeletion), 'clearSession(undefined) returned no deletions');
      ensure(sessionLines(clearedLines, ctx.name).length === clearedLines.length, 'clearSession(undefined) deleted other cookies');
      return `${savedLines.length} and ${clearedLines.length} lines in the bags (signOut passes no response)`;
    },
  },
  {
    name: 'getCookie: URL-decodes values and answers null for absent cookies',
    async run(ctx) {
      const storage = storageOf(ctx);
      const session = 'Fe26.2*1*a%b;c d+e=f "g" \u00e9\u20ac\ud83d\ude00~2';
      const other = 'x y;z%+\u00fc';
      const request = await ctx.adapter.makeRequest({
        first: 'plain',
        [ctx.name]: encodeURIComponent(session),
        'conformance-other': encodeURIComponent(other),
      });
      const got = await storage.getCookie(request, ctx.name);
      if (got !== session) fail(`getCookie gave ${JSON.stringify(got)}, expected ${JSON.stringify(session)}`);
      const gotSession = await storage.getSession(request);
      ensure(gotSession === session, `getSession gave ${JSON.stringify(gotSession)}`);
      const gotOther = await storage.getCookie(request, 'conformance-other');
      ensure(gotOther === other, `getCookie gave ${JSON.stringify(gotOther)}, expected ${JSON.stringify(other)}`);
      ensure((await storage.getCookie(request, 'first')) === 'plain', 'the first cookie of the header was not read');
      ensure((await storage.getCookie(request, 'absent')) === null, 'getCookie of an absent cookie is not null');
      const empty = await ctx.adapter.makeRequest({});
      ensure((await storage.getSession(empty)) === null, 'getSession without cookies is not null');
      return "'%', ';', ' ', '+', '=', quotes and unicode decoded; absent → null";
    },
  },
];
