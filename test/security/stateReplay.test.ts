import { describe, expect, it } from 'vitest';
import type { AuthKitError } from '../../src/core/errors.js';
import { DEMO_EMAIL, OTHER_EMAIL } from '../helpers/emulator.js';
import { useEmulatorWithProxy } from '../helpers/lifecycle.js';
import { useRedis } from '../helpers/useRedis.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn, type ServiceHarness } from '../helpers/service.js';

const ctx = useEmulatorWithProxy();
const shared = useRedis();

const isCodeGrant = (r: { method: string; path: string; body: string }) =>
  r.method === 'POST' && r.path.startsWith('/user_management/authenticate') && r.body.includes('authorization_code');
const isAuthenticate = (r: { method: string; path: string }) => r.method === 'POST' && r.path.startsWith('/user_management/authenticate');

/** Two instances sharing Redis, both through the proxy (which plays WorkOS's rate limit). */
function instance(): ServiceHarness {
  const harness = makeService(ctx.proxy.port, ctx.em.apiKey, { issuer: ctx.em.url, redisUrl: shared.redis.url });
  shared.services.push(harness.service);
  return harness;
}

describe('callback spam with one sign-in state', () => {
  it('1,100 callbacks with one state across two instances make one WorkOS call, and refreshes go on', async () => {
    const a = instance();
    const b = instance();
    const victim = await signIn(a.service, { loginHint: OTHER_EMAIL });
    ctx.proxy.log = [];
    // The attacker's own /login: one sealed state.
    const url = new URL(await a.service.getSignInUrl({ loginHint: DEMO_EMAIL }));
    const state = url.searchParams.get('state') as string;
    // WorkOS's rate limit on the app's key: past 1,000 authenticate calls, 429 with Retry-After: 86400.
    let calls = 0;
    ctx.proxy.rules = [{ match: (r) => isAuthenticate(r) && ++calls > 1_000, fault: { kind: 'status', status: 429, retryAfter: 86_400 } }];
    const codes: string[] = [];
    for (let batch = 0; batch < 11; batch++) {
      const outcomes = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          (i % 2 === 0 ? a : b).service
            .handleCallback(new Request('http://localhost:3000/callback'), new Response(null, { status: 302 }), {
              code: `invented_${batch}_${i}`,
              state,
            })
            .then(
              () => 'ok',
              (error: AuthKitError) => error.code,
            ),
        ),
      );
      codes.push(...outcomes);
    }
    expect(codes.filter((c) => c === 'code_exchange_failed')).toHaveLength(1);
    expect(codes.filter((c) => c === 'state_used')).toHaveLength(1_099);
    expect(ctx.proxy.log.filter(isCodeGrant)).toHaveLength(1);
    // Every other user's refresh still reaches WorkOS and succeeds.
    a.clock.advance(3_660);
    const refreshed = await a.service.withAuth(requestWithCookies({ 'wos-session': victim.cookie }));
    expect(refreshed.auth.user?.email).toBe(OTHER_EMAIL);
  });

  it('a code exchange answered 429 does not pause token refreshes', async () => {
    const a = instance();
    const victim = await signIn(a.service, { loginHint: OTHER_EMAIL });
    const url = new URL(await a.service.getSignInUrl({ loginHint: DEMO_EMAIL }));
    ctx.proxy.rules = [{ match: isCodeGrant, fault: { kind: 'status', status: 429, retryAfter: 86_400 } }];
    await expect(
      a.service.handleCallback(new Request('http://localhost:3000/callback'), new Response(null, { status: 302 }), {
        code: 'invented',
        state: url.searchParams.get('state') as string,
      }),
    ).rejects.toMatchObject({ code: 'code_exchange_failed' });
    a.clock.advance(3_660);
    expect((await a.service.withAuth(requestWithCookies({ 'wos-session': victim.cookie }))).auth.user?.email).toBe(OTHER_EMAIL);
  });
});
