import { describe, expect, it } from 'vitest';
import { sanitizeReturnPathname } from '../../src/operations/returnPathname.js';
import { followAuthorize } from '../helpers/authorize.js';
import { DEMO_EMAIL, REDIRECT_URI } from '../helpers/emulator.js';
import { signIn } from '../helpers/service.js';
import { useEmulator, useHarness } from '../helpers/lifecycle.js';

const APP_ORIGIN = 'https://app.example';

const ctx = useEmulator();

const harness = useHarness(ctx);

/** True when `path` resolved against the app stays on the app's origin. */
function sameOrigin(path: string): boolean {
  return new URL(path, APP_ORIGIN).origin === APP_ORIGIN && path.startsWith('/') && !path.startsWith('//') && !path.startsWith('/\\');
}

describe('returnPathname and state through handleCallback', () => {
  it('round-trips a non-Latin-1 returnPathname', async () => {
    const { result } = await signIn(harness.service, { returnPathname: '/日本?q=1' });
    expect(result.returnPathname).toBe('/%E6%97%A5%E6%9C%AC?q=1');
    expect(decodeURI(result.returnPathname)).toBe('/日本?q=1');
  });

  it.each(['a.b', 'v1.2.3', '.leading', 'trailing.', '...', 'plain', '日本.語', '{"json":"value.with.dots"}'])(
    'round-trips the custom state %j unchanged',
    async (state) => {
      const { result } = await signIn(harness.service, { state });
      expect(result.state).toBe(state);
      expect(result.returnPathname).toBe('/');
    },
  );

  it('round-trips a custom state with dots together with a returnPathname', async () => {
    const { result } = await signIn(harness.service, { state: 'v1.2.3', returnPathname: '/a/b?c=d#e' });
    expect(result).toMatchObject({ state: 'v1.2.3', returnPathname: '/a/b?c=d#e' });
  });

  it('gives state undefined and returnPathname / when none was given', async () => {
    const { result } = await signIn(harness.service);
    expect(result.state).toBeUndefined();
    expect(result.returnPathname).toBe('/');
  });

  it.each([
    ['//evil.com', '/'],
    ['https://evil.com/x', '/x'],
    ['/\\evil.com', '/'],
    ['\\\\evil.com/y', '/y'],
    ['//evil.com/%2F..', '/%2F..'],
    ['/.//evil.com', '/evil.com'],
    ['https:evil.com', '/evil.com'],
    ['javascript:alert(1)', '/alert(1)'],
    ['/ok\r\nLocation: https://evil.com', '/'],
  ])('returnPathname %j comes back as the same-origin path %j', async (attempt, expected) => {
    const { result } = await signIn(harness.service, { returnPathname: attempt });
    expect(result.returnPathname).toBe(expected);
    expect(sameOrigin(result.returnPathname)).toBe(true);
  });

  it('a callback state that was not issued here is refused before the code is spent', async () => {
    const { code, state } = await followAuthorize(await harness.service.getSignInUrl({ loginHint: DEMO_EMAIL }));
    // A 0.3.4-style state pointing off-site.
    const forged = btoa(JSON.stringify({ returnPathname: '//evil.com' })).replace(/=+$/, '');
    await expect(
      harness.service.handleCallback(new Request(`${REDIRECT_URI}?code=${code}`), new Response(null), { code, state: forged }),
    ).rejects.toMatchObject({ code: 'state_invalid' });
    const { returnPathname } = await harness.service.handleCallback(new Request(REDIRECT_URI), new Response(null), { code, state });
    expect(returnPathname).toBe('/');
  });
});

describe('sanitizeReturnPathname', () => {
  it.each([
    ['/dashboard?tab=1#top', '/dashboard?tab=1#top'],
    ['relative/path', '/relative/path'],
    ['///evil.com', '/'],
    ['/\\/evil.com', '/'],
    ['/%2F%2Fevil.com', '/%2F%2Fevil.com'],
    ['', '/'],
    ['/a\u0000b', '/'],
    ['/a\tb', '/'],
    ['http://[bad', '/'],
  ])('%j → %j', (input, expected) => {
    expect(sanitizeReturnPathname(input)).toBe(expected);
    expect(sameOrigin(sanitizeReturnPathname(input))).toBe(true);
  });

  it('falls back to / for non-strings', () => {
    expect(sanitizeReturnPathname(undefined)).toBe('/');
    expect(sanitizeReturnPathname(42)).toBe('/');
  });
});
