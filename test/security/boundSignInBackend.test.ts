import { describe, expect, it } from 'vitest';
import type { CryptoBackend } from '../../src/core/encryption/backend.js';
import { createWebCryptoBackend } from '../../src/core/encryption/webCryptoBackend.js';
import { DEMO_EMAIL } from '../helpers/emulator.js';
import { useEmulator } from '../helpers/lifecycle.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService } from '../helpers/service.js';
import { authorize } from '../helpers/signInFlow.js';

const ctx = useEmulator();

/** A backend that does the real work and counts its seals and unseals. */
function countingBackend(): { backend: CryptoBackend; seals: () => number; unseals: () => number } {
  const inner = createWebCryptoBackend();
  let seals = 0;
  let unseals = 0;
  const backend: CryptoBackend = {
    ...inner,
    seal: (...args) => {
      seals++;
      return inner.seal(...args);
    },
    unseal: (...args) => {
      unseals++;
      return inner.unseal(...args);
    },
  };
  return { backend, seals: () => seals, unseals: () => unseals };
}

describe('sign-in state on the service’s crypto backend', () => {
  it('seals the state with the service’s backend and opens it once on a browser-bound callback', async () => {
    const counted = countingBackend();
    const { service } = makeService(ctx.em.port, ctx.em.apiKey, {}, { crypto: counted.backend });
    const started = await service.createSignIn(undefined, { loginHint: DEMO_EMAIL });
    expect(counted.seals()).toBe(1); // the state
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
    expect(counted.unseals()).toBe(1); // the state, once: the browser check reuses the opened state
    expect(counted.seals()).toBe(2); // and the session cookie
  });
});
