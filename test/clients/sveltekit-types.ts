// Compiled (never run) against @workos/authkit-sveltekit@0.3.0's definitions with @workos/authkit-session
// resolved to this package, skipLibCheck off: the SDK's .d.ts must type-check against our exports.
import {
  authKit,
  authKitHandle,
  configureAuthKit,
  OAuthStateMismatchError,
  PKCECookieMissingError,
  SessionEncryptionError,
  type AuthKitAuth,
  type AuthResult,
} from '@workos/authkit-sveltekit';
import {
  AuthKitError,
  createAuthService,
  CookieSessionStorage,
  getPKCECookieNameForState,
  selectStalePKCEVerifierCookieNames,
  type CookieOptions,
  type HeadersBag,
} from '@workos/authkit-session';

class Storage extends CookieSessionStorage<Request, Response> {
  override async getCookie(request: Request, name: string): Promise<string | null> {
    return request.headers.get('cookie')?.includes(`${name}=`) ? name : null;
  }
  protected override async applyHeaders(response: Response | undefined, headers: HeadersBag): Promise<{ response: Response } | void> {
    const target = response ?? new Response();
    for (const [key, value] of Object.entries(headers)) for (const v of [value].flat()) target.headers.append(key, v);
    return { response: target };
  }
  protected override serializeCookie(name: string, value: string, options: CookieOptions, flags?: { expired?: boolean }): string {
    return super.serializeCookie(name, value, options, flags);
  }
}

const service = createAuthService<Request, Response>({ sessionStorageFactory: (config) => new Storage(config) });

export async function usage(request: Request): Promise<string[]> {
  configureAuthKit({ clientId: 'c', apiKey: 'k', redirectUri: 'https://localhost/callback', cookiePassword: 'p'.repeat(32) });
  const handle = authKitHandle({ debug: false });
  const callback = authKit.handleCallback();
  const signIn = await service.createSignIn(undefined, { returnPathname: '/' });
  const cleared = await service.clearPendingVerifier(undefined, { state: 'state' });
  const result = await service.handleCallback(request, new Response(), { code: 'c', state: 'state' }).catch((error: unknown) => {
    if (error instanceof OAuthStateMismatchError || error instanceof PKCECookieMissingError || error instanceof SessionEncryptionError)
      return null;
    throw error instanceof AuthKitError ? error : new AuthKitError('unexpected', error);
  });
  const { auth } = await service.withAuth(request);
  const typed: AuthResult = auth;
  const local: AuthKitAuth = { user: typed.user };
  return [
    typeof handle,
    typeof callback,
    signIn.url,
    String(cleared.headers?.['Set-Cookie']),
    String(result?.returnPathname),
    getPKCECookieNameForState('s'),
    ...selectStalePKCEVerifierCookieNames([], { keep: signIn.cookieName }),
    String(local.user?.email),
  ];
}
