import { describe, expect, it } from 'vitest';
import { FetchSessionStorage } from '../../src/adapters/fetch.js';
import { AuthKitError } from '../../src/core/errors.js';
import { createAuthService } from '../../src/service/factory.js';
import { followAuthorize } from '../helpers/authorize.js';
import { configFor, DEMO_EMAIL, REDIRECT_URI } from '../helpers/emulator.js';
import { countingFetch } from '../helpers/fetchCounter.js';
import { requestWithCookies } from '../helpers/requests.js';
import { cookieValue, setCookieFor } from '../helpers/cookies.js';
import { makeService, signIn } from '../helpers/service.js';
import { useEmulator, useHarness } from '../helpers/lifecycle.js';

/** Fetch storage that records every cookie it writes. */
class RecordingStorage extends FetchSessionStorage {
  saved: string[] = [];
  override async saveSession(response: Response | undefined, sessionData: string) {
    this.saved.push(sessionData);
    return super.saveSession(response, sessionData);
  }
}

const ctx = useEmulator();

const harness = useHarness(ctx);

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
