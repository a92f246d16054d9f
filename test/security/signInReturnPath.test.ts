import { describe, expect, it } from 'vitest';
import { DEMO_EMAIL } from '../helpers/emulator.js';
import { makeService } from '../helpers/service.js';
import { useEmulatorWithProxy } from '../helpers/lifecycle.js';
import { authorize, rejectsWith } from '../helpers/signInFlow.js';

const ctx = useEmulatorWithProxy();

describe('the return-path hint 0.3.4 clients read from an unbound state', () => {
  it('leads the state as base64 JSON, and a hint that disagrees with the sealed state is refused', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey);
    const { code, state, callback } = await authorize(await service.getSignInUrl({ loginHint: DEMO_EMAIL, returnPathname: '/dashboard' }));
    const [hint, ...rest] = (state as string).split('.');
    expect(JSON.parse(atob(hint as string))).toEqual({ returnPathname: '/dashboard' });
    const forged = `${btoa(JSON.stringify({ returnPathname: '/elsewhere' }))}.${rest.join('.')}`;
    await rejectsWith(service.handleCallback(new Request(callback), new Response(), { code, state: forged }), 'state_invalid');
    const result = await service.handleCallback(new Request(callback), new Response(), { code, state });
    expect(result.returnPathname).toBe('/dashboard');
  });
});

describe('safe redirects', () => {
  it.each([
    ['//evil.com', '/'],
    ['/\\evil.com', '/'],
    ['///evil.com/a', '/a'],
    ['https://evil.com/path?q=1#h', '/path?q=1#h'],
    ['javascript:alert(1)', '/alert(1)'],
    ['/ok\r\nSet-Cookie: x', '/'],
    ['/a\u0000b', '/'],
    ['/日本/ページ?q=値', '/%E6%97%A5%E6%9C%AC/%E3%83%9A%E3%83%BC%E3%82%B8?q=%E5%80%A4'],
    ['relative/path', '/relative/path'],
    ['', '/'],
  ])('%j → %j', async (input, expected) => {
    const { sanitizeReturnPathname } = await import('../../src/operations/returnPathname.js');
    const out = sanitizeReturnPathname(input);
    expect(out).toBe(expected);
    expect(new URL(out, 'https://app.example').origin).toBe('https://app.example');
  });
});
