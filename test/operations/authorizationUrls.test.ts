import { describe, expect, it } from 'vitest';
import { followAuthorize } from '../helpers/authorize.js';
import { CLIENT_ID, DEMO_EMAIL, REDIRECT_URI } from '../helpers/emulator.js';
import { useEmulator, useHarness } from '../helpers/lifecycle.js';

const ctx = useEmulator();

const harness = useHarness(ctx);

function params(url: string): Record<string, string> {
  return Object.fromEntries(new URL(url).searchParams);
}

describe('authorization URLs', () => {
  const all = {
    organizationId: 'org_123',
    loginHint: DEMO_EMAIL,
    prompt: 'login' as const,
    redirectUri: 'http://localhost:3000/other-callback',
    state: 'custom',
    returnPathname: '/after',
  };

  it('getSignInUrl carries every option', async () => {
    const url = await harness.service.getSignInUrl(all);
    expect(url.startsWith(`${ctx.em.url}/user_management/authorize?`)).toBe(true);
    expect(params(url)).toMatchObject({
      client_id: CLIENT_ID,
      provider: 'authkit',
      response_type: 'code',
      screen_hint: 'sign-in',
      organization_id: 'org_123',
      login_hint: DEMO_EMAIL,
      prompt: 'login',
      redirect_uri: 'http://localhost:3000/other-callback',
      state: expect.any(String),
    });
    expect(params(url).state).not.toBe('');
  });

  it('getSignUpUrl sets screen_hint=sign-up', async () => {
    const url = await harness.service.getSignUpUrl(all);
    expect(params(url)).toMatchObject({ screen_hint: 'sign-up', organization_id: 'org_123', login_hint: DEMO_EMAIL, prompt: 'login' });
  });

  it('getAuthorizationUrl takes screenHint, and defaults redirect_uri to the configured one', async () => {
    expect(params(await harness.service.getAuthorizationUrl({ screenHint: 'sign-up' })).screen_hint).toBe('sign-up');
    expect(params(await harness.service.getAuthorizationUrl({ screenHint: 'sign-in' })).screen_hint).toBe('sign-in');
    const plain = params(await harness.service.getAuthorizationUrl());
    expect(plain).not.toHaveProperty('screen_hint');
    expect(plain).not.toHaveProperty('organization_id');
    expect(plain).not.toHaveProperty('login_hint');
    expect(plain).not.toHaveProperty('prompt');
    expect(plain).toMatchObject({ client_id: CLIENT_ID, redirect_uri: REDIRECT_URI, provider: 'authkit', response_type: 'code' });
  });

  it.each(['none', 'consent', 'select_account'] as const)('passes prompt=%s', async (prompt) => {
    expect(params(await harness.service.getSignInUrl({ prompt })).prompt).toBe(prompt);
  });

  it('the emulator redirects to the requested redirect_uri with a code and the same state', async () => {
    const url = await harness.service.getSignInUrl(all);
    const { code, state, callback } = await followAuthorize(url);
    expect(`${callback.origin}${callback.pathname}`).toBe('http://localhost:3000/other-callback');
    expect(code).toBeTruthy();
    expect(state).toBe(params(url).state);
  });
});
