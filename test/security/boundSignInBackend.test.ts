import { describe, expect, it } from 'vitest';
import { createWebCryptoBackend } from '../../src/core/encryption/webCryptoBackend.js';
import { useCountingBackend } from '../helpers/countingBackend.js';
import { DEMO_EMAIL } from '../helpers/emulator.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService } from '../helpers/service.js';
import { authorize } from '../helpers/signInFlow.js';

const ctx = useEmulator();
const t = useCountingBackend(createWebCryptoBackend(), () => ctx.em);

describe('sign-in state on the service’s crypto backend', () => {
  it('seals the state with the service’s backend and opens it once on a browser-bound callback', async () => {
    const { service } = makeService(ctx.em.port, ctx.em.apiKey, {}, { crypto: t.counting });
    const started = await service.createSignIn(undefined, { loginHint: DEMO_EMAIL });
    expect(t.counts.seals).toBe(1); // the state
    const { code, state, callback } = await authorize(started.url);
    const result = await service.handleCallback(
      requestWithCookies({ [started.cookieName]: state as string }, callback.href),
      new Response(),
      {
        code,
        state,
      },
    );
    expect(result.response?.headers.getSetCookie()[0]).toMatch(/^wos-session=Fe26/);
    expect(t.counts.unseals).toBe(1); // the state, once: the browser check reuses the opened state
    expect(t.counts.seals).toBe(2); // and the session cookie
  });
});
