import { describe, expect, it, vi } from 'vitest';
import * as v034 from 'authkit-session-034';
import { FetchSessionStorage } from '../../src/adapters/fetch.js';
import { createWorkOSClient } from '../../src/core/client/workos.js';
import type { AuthKitConfig } from '../../src/core/config/types.js';
import { sessionEncryption } from '../../src/core/encryption/ironWebcryptoEncryption.js';
import { AuthService } from '../../src/service/AuthService.js';
import { createAuthService } from '../../src/service/factory.js';
import { CLIENT_ID, configFor, envFor, DEMO_EMAIL } from '../helpers/emulator.js';
import { requestWithCookies } from '../helpers/requests.js';
import { signIn } from '../helpers/service.js';
import { useEmulator, useHarness } from '../helpers/lifecycle.js';

/** The 12 methods of the 0.3.4 service. */
const V034_METHODS = [
  'withAuth',
  'getSession',
  'saveSession',
  'clearSession',
  'signOut',
  'switchOrganization',
  'refreshSession',
  'getAuthorizationUrl',
  'getSignInUrl',
  'getSignUpUrl',
  'getWorkOS',
  'handleCallback',
];

const ctx = useEmulator();

const harness = useHarness(ctx);

/** The library with fresh module state (a new global provider). */
async function freshLibrary() {
  vi.resetModules();
  return import('../../src/index.js');
}

function emulatorEnv(extra: Record<string, string> = {}): (name: string) => string | undefined {
  const env = envFor(ctx.em.port, ctx.em.apiKey, extra);
  return (name) => env[name];
}

describe('createAuthService', () => {
  it('returns a real AuthService with every method', () => {
    const service = createAuthService<Request, Response>({ sessionStorageFactory: (config) => new FetchSessionStorage(config) });
    expect(service).toBeInstanceOf(AuthService);
    for (const method of V034_METHODS) expect(typeof (service as unknown as Record<string, unknown>)[method], method).toBe('function');
    // Nothing the 0.3.4 factory offered is missing.
    const legacy = v034.createAuthService({ sessionStorageFactory: () => ({}) as never });
    for (const method of Object.keys(legacy)) expect(service, method).toHaveProperty(method);
    // And every public method of the class is reachable on the factory's result.
    const own = Object.getOwnPropertyNames(AuthService.prototype).filter((name) => name !== 'constructor' && name !== 'deps');
    for (const method of own) expect(typeof (service as unknown as Record<string, unknown>)[method], method).toBe('function');
  });

  it('rejects (never throws synchronously) with config_invalid while configuration is missing, then works once configured', async () => {
    const lib = await freshLibrary();
    lib.configure(() => undefined);
    const service = lib.createAuthService<Request, Response>({ sessionStorageFactory: (config) => new FetchSessionStorage(config) });
    const request = requestWithCookies({});
    const calls: [string, () => Promise<unknown>][] = [
      ['withAuth', () => service.withAuth(request)],
      ['getSignInUrl', () => service.getSignInUrl()],
      ['getSignUpUrl', () => service.getSignUpUrl()],
      ['getAuthorizationUrl', () => service.getAuthorizationUrl()],
      ['getSession', () => service.getSession(request)],
      ['saveSession', () => service.saveSession(undefined, 'x')],
      ['clearSession', () => service.clearSession(undefined)],
      ['signOut', () => service.signOut('session_1')],
      ['handleCallback', () => service.handleCallback(request, new Response(null), { code: 'c' })],
      ['getCore', () => service.getCore()],
    ];
    for (const [name, call] of calls) {
      let pending: Promise<unknown> | undefined;
      expect(() => {
        pending = call();
      }, name).not.toThrow();
      const error = await (pending as Promise<unknown>).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, name).toBeInstanceOf(lib.AuthKitError);
      expect(error, name).toMatchObject({ code: 'config_invalid', message: expect.stringContaining('WORKOS_CLIENT_ID is required') });
    }
    // getWorkOS is the one synchronous method; it throws the same error.
    expect(() => service.getWorkOS()).toThrow(expect.objectContaining({ code: 'config_invalid' }));

    lib.configure(emulatorEnv());
    expect((await service.getSignInUrl()).startsWith(`${ctx.em.url}/user_management/authorize?`)).toBe(true);
    const { cookie } = await signIn(harness.service);
    const { auth } = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
    expect(auth.user?.email).toBe(DEMO_EMAIL);
    expect(service.getWorkOS().baseURL).toBe(ctx.em.url);
  });

  it('builds its dependencies once, on first use', async () => {
    const lib = await freshLibrary();
    lib.configure(emulatorEnv());
    const configs: AuthKitConfig[] = [];
    const service = lib.createAuthService<Request, Response>({
      sessionStorageFactory: (config) => {
        configs.push(config);
        return new FetchSessionStorage(config);
      },
    });
    expect(configs).toHaveLength(0);
    await service.getSignInUrl();
    await service.withAuth(requestWithCookies({}));
    expect(configs).toHaveLength(1);
    expect(configs[0]).toMatchObject({ clientId: CLIENT_ID, apiHostname: 'localhost', apiPort: ctx.em.port, apiHttps: false });
    expect(Object.isFrozen(configs[0])).toBe(true);
  });

  it('uses the given clientFactory and encryptionFactory', async () => {
    const made: string[] = [];
    const service = createAuthService<Request, Response>({
      config: configFor(ctx.em.port, ctx.em.apiKey),
      sessionStorageFactory: (config) => new FetchSessionStorage(config),
      clientFactory: (config) => {
        made.push('client');
        return createWorkOSClient(config);
      },
      encryptionFactory: () => {
        made.push('encryption');
        return sessionEncryption;
      },
    });
    const { cookie } = await signIn(service);
    expect((await service.withAuth(requestWithCookies({ 'wos-session': cookie }))).auth.user?.email).toBe(DEMO_EMAIL);
    expect(made.sort()).toEqual(['client', 'encryption']);
  });
});
