import { describe, expect, it } from 'vitest';
import { SessionCache } from '../../src/core/cache/SessionCache.js';
import { nodeCryptoBackend } from '../../src/core/encryption/nodeBackend.node.js';
import { useCountingBackend } from '../helpers/countingBackend.js';
import { DEMO_EMAIL } from '../helpers/emulator.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn } from '../helpers/service.js';

// The session cache answers a cookie it has seen from the seal's ticket (node:crypto backend): the cookie
// is decrypted again with the kept key, without the seal's MAC check. These are the attacks on that
// shortcut: a cookie that is not byte for byte the verified one must take the full path (and fail).

/** One emulator for this file. */
const ctx = useEmulator();

const withCookie = (value: string) => requestWithCookies({ 'wos-session': value });
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

/** `text` with the character at `index` replaced by another one of the same alphabet. */
function flip(text: string, index: number): string {
  const alphabet = /^[0-9a-f]+$/.test(text) ? '0123456789abcdef' : B64;
  const next = alphabet[(alphabet.indexOf(text[index] as string) + 1) % alphabet.length] as string;
  return `${text.slice(0, index)}${next}${text.slice(index + 1)}`;
}

/** Every alteration of `cookie` that keeps its cache key: one character of each part, and the version. */
function alterations(cookie: string): [string, string][] {
  const parts = cookie.slice(0, -2).split('*');
  const out: [string, string][] = [];
  for (const [index, name] of [
    [2, 'encryption salt'],
    [3, 'iv'],
    [4, 'ciphertext'],
    [6, 'hmac salt'],
    [7, 'mac past the key'],
  ] as const) {
    const part = parts[index] as string;
    const at = index === 7 ? part.length - 1 : Math.floor(part.length / 2);
    out.push([name, `${[...parts.slice(0, index), flip(part, at), ...parts.slice(index + 1)].join('*')}~2`]);
  }
  out.push(['ciphertext block dropped', `${[...parts.slice(0, 4), (parts[4] as string).slice(0, -22), ...parts.slice(5)].join('*')}~2`]);
  out.push(['version', `${cookie.slice(0, -1)}1`]);
  return out;
}

describe('seal tickets (node:crypto backend)', () => {
  const t = useCountingBackend(nodeCryptoBackend, () => ctx.em);
  const { counts } = t;

  it('answers a repeated cookie from its ticket: one unseal at first sight, then no unseal at all', async () => {
    const { service, cookie } = await t.signedIn({ sessionCacheMaxBytes: 1_000 }); // small entries only
    const first = await service.withAuth(withCookie(cookie));
    expect(first.auth.user?.email).toBe(DEMO_EMAIL);
    for (let i = 0; i < 3; i++) expect(await service.withAuth(withCookie(cookie))).toEqual(first);
    // One full unseal at first sight, then three openings from the ticket (a reopen counts as an unseal too).
    expect([counts.unseals - counts.reopens, counts.reopens]).toEqual([1, 3]);
  });

  it.each([
    ['first-sight', 64 * 2 ** 20, 1], // its ticket holds the seal itself, compared character for character
    ['small', 1_000, 2],
    ['whole', 64 * 2 ** 20, 2],
  ])('never answers an altered cookie from a %s entry, whichever part is altered', async (_kind, sessionCacheMaxBytes, sights) => {
    const { service, cookie } = await t.signedIn({ sessionCacheMaxBytes });
    for (let i = 0; i < sights; i++) expect((await service.withAuth(withCookie(cookie))).auth.user?.email).toBe(DEMO_EMAIL);
    counts.reopens = 0;
    for (const [name, forged] of alterations(cookie)) {
      expect(SessionCache.keyOf(forged), name).toBe(SessionCache.keyOf(cookie));
      expect((await service.withAuth(withCookie(forged))).auth, name).toMatchObject({ user: null });
    }
    // Every alteration but the version's reached the ticket's check (a whole entry compares the cookie first).
    expect(counts.reopens).toBe(sights === 1 || sessionCacheMaxBytes === 1_000 ? 6 : 0);
    expect((await service.withAuth(withCookie(cookie))).auth.user?.email).toBe(DEMO_EMAIL);
  });

  it('gives no ticket for a cookie opened with a previous password: it is re-sealed every time', async () => {
    const OLD = 'the-previous-cookie-password-that-was-32+';
    const before = makeService(ctx.em.port, ctx.em.apiKey, { cookiePassword: OLD });
    const { cookie } = await signIn(before.service);
    const { service } = makeService(
      ctx.em.port,
      ctx.em.apiKey,
      { cookiePassword: ['the-brand-new-cookie-password-of-32+-chars', OLD] },
      { crypto: t.counting },
    );
    Object.assign(counts, { unseals: 0, reopens: 0 });
    for (let i = 0; i < 3; i++) expect((await service.withAuth(withCookie(cookie))).refreshedSessionData).toBeTypeOf('string');
    expect([counts.unseals, counts.reopens]).toEqual([6, 0]);
  });
});
