import { describe, expect, it } from 'vitest';
import { FetchSessionStorage } from '../../src/adapters/fetch.js';
import { AuthKitCore } from '../../src/core/AuthKitCore.js';
import { createWorkOSClient } from '../../src/core/client/workos.js';
import { sessionEncryption } from '../../src/core/encryption/ironWebcryptoEncryption.js';
import type { HeadersBag } from '../../src/core/session/types.js';
import { AuthService } from '../../src/service/AuthService.js';
import { createAuthService } from '../../src/service/factory.js';
import { configFor, DEMO_EMAIL } from '../helpers/emulator.js';
import { requestWithCookies } from '../helpers/requests.js';
import { cookieValue, isDeletion, setCookieFor } from '../helpers/cookies.js';
import { signIn } from '../helpers/service.js';
import { useEmulator, useHarness } from '../helpers/lifecycle.js';

const ctx = useEmulator();

const harness = useHarness(ctx);

describe('AuthService', () => {
  it('can be constructed eagerly from config, storage, client and encryption', async () => {
    const config = configFor(ctx.em.port, ctx.em.apiKey);
    const service = new AuthService<Request, Response>(
      config,
      new FetchSessionStorage(config),
      createWorkOSClient(config),
      sessionEncryption,
    );
    const { cookie } = await signIn(service);
    expect((await service.withAuth(requestWithCookies({ 'wos-session': cookie }))).auth.user?.email).toBe(DEMO_EMAIL);
    expect(await service.getCore()).toBeInstanceOf(AuthKitCore);
  });

  it('the eager constructor throws config_invalid for an invalid configuration', () => {
    const config = configFor(ctx.em.port, ctx.em.apiKey, { cookiePassword: 'short' });
    expect(
      () =>
        new AuthService<Request, Response>(
          config,
          new FetchSessionStorage(config),
          createWorkOSClient(configFor(ctx.em.port, ctx.em.apiKey)),
          sessionEncryption,
        ),
    ).toThrow(expect.objectContaining({ code: 'config_invalid' }));
  });

  it('withAuth answers internal_error (retryable) when the storage fails to read', async () => {
    const config = configFor(ctx.em.port, ctx.em.apiKey);
    class Broken extends FetchSessionStorage {
      override async getSession(): Promise<string | null> {
        throw new Error('storage down');
      }
    }
    const service = createAuthService<Request, Response>({ config, sessionStorageFactory: (c) => new Broken(c) });
    expect(await service.withAuth(requestWithCookies({}))).toEqual({ auth: { user: null, reason: 'internal_error', retryable: true } });
  });

  it('saveSession and clearSession go through the storage onto the response', async () => {
    const saved = await harness.service.saveSession(new Response('body', { status: 201 }), 'sealed*value~2');
    expect(saved.response?.status).toBe(201);
    expect(cookieValue(setCookieFor(saved.response))).toBe('sealed*value~2');
    const cleared = await harness.service.clearSession(new Response(null));
    expect(setCookieFor(cleared.response)).toMatch(/^wos-session=;.*Max-Age=0/);
    const bag = await harness.service.clearSession();
    expect(isDeletion(setCookieFor(bag.headers as HeadersBag))).toBe(true);
  });
});
