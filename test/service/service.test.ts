import { beforeAll, describe, expect, it, vi } from 'vitest';
import * as v034 from 'authkit-session-034';
import { FetchSessionStorage } from '../../src/adapters/fetch.js';
import { AuthKitCore } from '../../src/core/AuthKitCore.js';
import { createWorkOSClient } from '../../src/core/client/workos.js';
import type { AuthKitConfig } from '../../src/core/config/types.js';
import { sessionEncryption } from '../../src/core/encryption/ironWebcryptoEncryption.js';
import { AuthKitError } from '../../src/core/errors.js';
import type { HeadersBag } from '../../src/core/session/types.js';
import { AuthService } from '../../src/service/AuthService.js';
import { createAuthService } from '../../src/service/factory.js';
import { followAuthorize } from '../helpers/authorize.js';
import { CLIENT_ID, configFor, envFor, DEMO_EMAIL, REDIRECT_URI } from '../helpers/emulator.js';
import { countingFetch } from '../helpers/fetchCounter.js';
import { requestWithCookies } from '../helpers/requests.js';
import { cookieValue, isDeletion, setCookieFor } from '../helpers/cookies.js';
import { makeService, signIn, type ServiceHarness } from '../helpers/service.js';
import { useEmulator } from '../helpers/lifecycle.js';

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

/** Fetch storage that records every cookie it writes. */
class RecordingStorage extends FetchSessionStorage {
  saved: string[] = [];
  override async saveSession(response: Response | undefined, sessionData: string) {
    this.saved.push(sessionData);
    return super.saveSession(response, sessionData);
  }
}

const ctx = useEmulator();
let harness: ServiceHarness;
beforeAll(() => {
  harness = makeService(ctx.em.port, ctx.em.apiKey);
});

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

describe('handleCallback', () => {
  it('with a short cookie password rejects config_invalid before the code is spent', async () => {
    const { code, state } = await followAuthorize(await harness.service.getSignInUrl({ loginHint: DEMO_EMAIL }));
    const counter = countingFetch();
    const short = makeService(ctx.em.port, ctx.em.apiKey, { cookiePassword: 'too-short' }, { fetch: counter.fetch });
    const error = await short.service
      .handleCallback(new Request(REDIRECT_URI), new Response(null), { code, state })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthKitError);
    expect(error).toMatchObject({ code: 'config_invalid', message: expect.stringContaining('config.cookiePassword must be at least 32') });
    expect((error as Error).message).not.toContain('too-short');
    expect(counter.requests).toEqual([]);
    // The code was not spent: a correctly configured service still exchanges it.
    const ok = await harness.service.handleCallback(new Request(REDIRECT_URI), new Response(null, { status: 302 }), { code, state });
    expect(ok.authResponse.user.email).toBe(DEMO_EMAIL);
    const cookie = cookieValue(setCookieFor(ok.response));
    expect((await harness.service.withAuth(requestWithCookies({ 'wos-session': cookie }))).auth.user?.email).toBe(DEMO_EMAIL);
  });

  it('with an invalid code rejects code_exchange_failed and writes no cookie', async () => {
    const storage: RecordingStorage[] = [];
    const service = createAuthService<Request, Response>({
      config: configFor(ctx.em.port, ctx.em.apiKey),
      sessionStorageFactory: (config) => {
        const s = new RecordingStorage(config);
        storage.push(s);
        return s;
      },
    });
    const { state } = await followAuthorize(await service.getSignInUrl({ loginHint: DEMO_EMAIL }));
    const response = new Response(null, { status: 302 });
    const error = await service
      .handleCallback(new Request(REDIRECT_URI), response, { code: 'not_a_real_code', state })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AuthKitError);
    expect(error).toMatchObject({ code: 'code_exchange_failed' });
    expect((error as Error).message).not.toContain('not_a_real_code');
    expect((error as Error).cause).toBeDefined();
    expect(storage[0]?.saved).toEqual([]);
    expect(response.headers.getSetCookie()).toEqual([]);
  });

  it('with an already used code rejects code_exchange_failed; a replayed callback (same state) rejects state_used', async () => {
    const { code, state } = await followAuthorize(await harness.service.getSignInUrl({ loginHint: DEMO_EMAIL }));
    await harness.service.handleCallback(new Request(REDIRECT_URI), new Response(null), { code, state });
    await expect(harness.service.handleCallback(new Request(REDIRECT_URI), new Response(null), { code, state })).rejects.toMatchObject({
      code: 'state_used',
    });
    const fresh = await followAuthorize(await harness.service.getSignInUrl({ loginHint: DEMO_EMAIL }));
    await expect(
      harness.service.handleCallback(new Request(REDIRECT_URI), new Response(null), { code, state: fresh.state }),
    ).rejects.toMatchObject({ code: 'code_exchange_failed' });
  });

  it('saves the session on the given response and reports the user', async () => {
    const { result, cookie } = await signIn(harness.service);
    expect(result.response).toBeInstanceOf(Response);
    expect(result.response?.status).toBe(302);
    expect(result.authResponse.user.email).toBe(DEMO_EMAIL);
    expect(setCookieFor(result.response)).toMatch(/^wos-session=Fe26\.2\*1\*/);
    expect(cookieValue(setCookieFor(result.response))).toBe(cookie);
    const session = await harness.service.getSession(requestWithCookies({ 'wos-session': cookie }));
    expect(session?.accessToken).toBe(result.authResponse.accessToken);
    expect(session?.refreshToken).toBe(result.authResponse.refreshToken);
  });
});

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
