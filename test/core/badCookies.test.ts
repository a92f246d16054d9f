import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COOKIE_PASSWORD, DEMO_EMAIL, startEmulator, type TestEmulator } from '../helpers/emulator.js';
import { countingFetch, type CountingFetch } from '../helpers/fetchCounter.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn, type ServiceHarness } from '../helpers/service.js';
import { openCookie, requestWithRawCookie, seal } from '../helpers/session.js';

const HEX = '0123456789abcdef';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

let em: TestEmulator;
/** A valid sealed session cookie (signed in through the hosted flow). */
let cookie: string;
/** The service under test; its fetch counts every request that reaches WorkOS. */
let harness: ServiceHarness;
let counter: CountingFetch;

beforeAll(async () => {
  em = await startEmulator();
  const { service } = makeService(em.port, em.apiKey);
  cookie = (await signIn(service)).cookie;
  // Control: the untampered cookie authenticates.
  expect((await service.withAuth(requestWithCookies({ 'wos-session': cookie }))).auth.user?.email).toBe(DEMO_EMAIL);
  counter = countingFetch();
  harness = makeService(em.port, em.apiKey, {}, { fetch: counter.fetch });
});
afterAll(async () => {
  // Nothing in this file may reach WorkOS: no refresh, not even a JWKS fetch.
  expect(counter.requests).toEqual([]);
  await em.close();
});

/** The cookie with one character of `*`-part `index` replaced by the next character of its alphabet. */
function flipPart(sealed: string, index: number, position: 'first' | 'middle' | 'last'): string {
  const parts = sealed.slice(0, -2).split('*');
  const part = parts[index] as string;
  const alphabet = index === 2 || index === 6 ? HEX : index === 0 ? 'Fe26.2345' : index === 1 ? '0123456789' : B64URL;
  const at = position === 'first' ? 0 : position === 'last' ? part.length - 1 : Math.floor(part.length / 2);
  const char = part[at] as string;
  const replacement = alphabet[(alphabet.indexOf(char) + 1) % alphabet.length] as string;
  parts[index] = part.slice(0, at) + replacement + part.slice(at + 1);
  return `${parts.join('*')}~2`;
}

async function expectRejected(request: Request, reason: 'invalid_cookie' | 'malformed_session' | 'no_session') {
  const result = await harness.service.withAuth(request);
  expect(result).toEqual({ auth: { user: null, reason, retryable: false } });
  return result;
}

describe('tampered cookies', () => {
  const PART_NAMES = ['prefix', 'password id', 'encryption salt', 'iv', 'ciphertext', 'expiry', 'hmac salt', 'hmac'];

  for (const [index, name] of PART_NAMES.entries()) {
    if (name === 'expiry') continue;
    // The password id is one character: one flip covers it.
    const positions = index === 1 ? (['first'] as const) : (['first', 'middle', 'last'] as const);
    for (const position of positions) {
      it(`part ${index} (${name}), ${position} character flipped → invalid_cookie`, async () => {
        const tampered = flipPart(cookie, index, position);
        expect(tampered).not.toBe(cookie);
        expect(tampered).toHaveLength(cookie.length);
        await expectRejected(requestWithCookies({ 'wos-session': tampered }), 'invalid_cookie');
      });
    }
  }

  it('part 5 (expiry) set where it was empty → invalid_cookie', async () => {
    const parts = cookie.slice(0, -2).split('*');
    expect(parts[5]).toBe('');
    parts[5] = String(Date.now() + 3_600_000);
    await expectRejected(requestWithCookies({ 'wos-session': `${parts.join('*')}~2` }), 'invalid_cookie');
  });

  it.each(['~1', '~3', '~', '~~2', '*~2', '~2 '])('version suffix ~2 replaced by %j → invalid_cookie', async (suffix) => {
    await expectRejected(requestWithCookies({ 'wos-session': `${cookie.slice(0, -2)}${suffix}` }), 'invalid_cookie');
  });

  it('an extra or missing *-part → invalid_cookie', async () => {
    const body = cookie.slice(0, -2);
    await expectRejected(requestWithCookies({ 'wos-session': `${body}*x~2` }), 'invalid_cookie');
    const parts = body.split('*');
    parts.splice(4, 1);
    await expectRejected(requestWithCookies({ 'wos-session': `${parts.join('*')}~2` }), 'invalid_cookie');
  });

  it('padding added to a base64url part → invalid_cookie', async () => {
    const parts = cookie.slice(0, -2).split('*');
    parts[3] = `${parts[3]}==`;
    await expectRejected(requestWithCookies({ 'wos-session': `${parts.join('*')}~2` }), 'invalid_cookie');
  });

  it('getSession returns null for a tampered cookie (and the session for the real one)', async () => {
    expect((await openCookie(harness.service, cookie)).user.email).toBe(DEMO_EMAIL);
    for (const index of [0, 2, 3, 4, 6, 7]) {
      const request = requestWithCookies({ 'wos-session': flipPart(cookie, index, 'middle') });
      expect(await harness.service.getSession(request)).toBeNull();
    }
  });
});

describe('truncated cookies', () => {
  it.each([
    ['the last character', (c: string) => c.slice(0, -1)],
    ['the ~2 suffix', (c: string) => c.slice(0, -2)],
    ['the hmac', (c: string) => c.slice(0, c.lastIndexOf('*') + 1) + '~2'],
    ['half of it', (c: string) => c.slice(0, Math.floor(c.length / 2))],
    ['all but the prefix', (c: string) => c.slice(0, 7)],
  ])('without %s → invalid_cookie', async (_name, cut) => {
    await expectRejected(requestWithCookies({ 'wos-session': cut(cookie) }), 'invalid_cookie');
  });
});

describe('seals this server cannot use', () => {
  it('a session sealed under another password → invalid_cookie; getSession null', async () => {
    const session = await openCookie(harness.service, cookie);
    const foreign = await seal(session, 'another-password-that-is-long-enough!!');
    await expectRejected(requestWithCookies({ 'wos-session': foreign }), 'invalid_cookie');
    expect(await harness.service.getSession(requestWithCookies({ 'wos-session': foreign }))).toBeNull();
  });

  it.each([
    ['{ foo: 1 }', { foo: 1 }],
    ['{ accessToken: 1 }', { accessToken: 1 }],
    ['tokens without a user', { accessToken: 'a', refreshToken: 'r' }],
    ['a user without an id', { accessToken: 'a', refreshToken: 'r', user: { email: DEMO_EMAIL } }],
    ['a numeric user id', { accessToken: 'a', refreshToken: 'r', user: { id: 5 } }],
    ['empty tokens', { accessToken: '', refreshToken: '', user: { id: 'user_1' } }],
    ['a string impersonator', { accessToken: 'a', refreshToken: 'r', user: { id: 'user_1' }, impersonator: 'admin' }],
    ['an array', [{ accessToken: 'a' }]],
    ['a string', 'session'],
    ['an empty string', ''],
    ['a number', 42],
    ['null', null],
  ])('a well-sealed non-session (%s) → malformed_session; getSession null', async (_name, value) => {
    const sealed = await seal(value, COOKIE_PASSWORD);
    await expectRejected(requestWithCookies({ 'wos-session': sealed }), 'malformed_session');
    expect(await harness.service.getSession(requestWithCookies({ 'wos-session': sealed }))).toBeNull();
  });
});

describe('values that are not iron seals', () => {
  it.each([
    'garbage',
    'Fe26.2',
    'Fe26.2*1*~2',
    '*******~2',
    'Fe26.2********~2',
    '~2',
    'null',
    '{"accessToken":"a"}',
    'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.sig',
    '日本語のクッキー',
    '%E0%A4%A',
    'a'.repeat(10_000),
  ])('%j → invalid_cookie', async (value) => {
    await expectRejected(requestWithCookies({ 'wos-session': value }), 'invalid_cookie');
    expect(await harness.service.getSession(requestWithCookies({ 'wos-session': value }))).toBeNull();
  });

  it.each([
    'wos-session=%E0%A4%A',
    'wos-session=%',
    'wos-session=a%2',
    'wos-session=%FF%FE',
    'wos-session="unterminated',
    'wos-session=%E0%A4%A; other=1',
  ])('raw header %j (not valid percent-encoding) → invalid_cookie, no throw', async (header) => {
    await expectRejected(requestWithRawCookie(header), 'invalid_cookie');
    expect(await harness.service.getSession(requestWithRawCookie(header))).toBeNull();
  });

  it('an empty cookie value counts as no session', async () => {
    await expectRejected(requestWithRawCookie('wos-session='), 'no_session');
    await expectRejected(requestWithRawCookie('other=1'), 'no_session');
    expect(await harness.service.getSession(requestWithRawCookie('wos-session='))).toBeNull();
  });

  it('reports each rejection as a session.rejected event', () => {
    const reasons = new Set(harness.events.filter((e) => e.type === 'session.rejected').map((e) => (e as { reason: string }).reason));
    expect([...reasons].sort()).toEqual(['invalid_cookie', 'malformed_session', 'no_session']);
  });
});
