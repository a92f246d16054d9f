import { describe, expectTypeOf, it } from 'vitest';
import type { User } from '@workos-inc/node';
import { FetchSessionStorage } from '../src/adapters/fetch.js';
import {
  AuthService,
  createAuthService,
  isAuthKitError,
  type AuthKitError,
  type OAuthStateMismatchError,
  type SessionEncryptionError,
  type TokenRefreshError,
  type TokenValidationError,
  type AuthKitErrorCode,
  type AuthResult,
  type BaseTokenClaims,
  type UnauthenticatedReason,
} from '../src/index.js';

declare const request: Request;

describe('AuthResult', () => {
  it('narrows on user', () => {
    const check = (auth: AuthResult) => {
      if (!auth.user) {
        expectTypeOf(auth.user).toEqualTypeOf<null>();
        expectTypeOf(auth).not.toHaveProperty('sessionId');
        return;
      }
      expectTypeOf(auth.user).toEqualTypeOf<User>();
      expectTypeOf(auth.sessionId).toEqualTypeOf<string>();
      expectTypeOf(auth.accessToken).toEqualTypeOf<string>();
      expectTypeOf(auth.claims.sid).toEqualTypeOf<string>();
      expectTypeOf(auth.organizationId).toEqualTypeOf<string | undefined>();
      expectTypeOf(auth.permissions).toEqualTypeOf<string[] | undefined>();
    };
    expectTypeOf(check).toBeFunction();
  });

  it('accepts the 0.3.4 unauthenticated shape { user: null }', () => {
    expectTypeOf<{ user: null }>().toMatchTypeOf<AuthResult>();
    expectTypeOf<{ user: null }>().toMatchTypeOf<AuthResult<{ foo: string }>>();
    const legacy: AuthResult = { user: null };
    expectTypeOf(legacy.user).toEqualTypeOf<null>();
    // A 0.3.4 helper typed to return AuthResult can still return { user: null }.
    const fromHelper = (): AuthResult<{ foo: string }> => ({ user: null });
    expectTypeOf(fromHelper).returns.toEqualTypeOf<AuthResult<{ foo: string }>>();
  });

  it('carries custom claims into claims', () => {
    expectTypeOf<Extract<AuthResult<{ foo: string }>, { sessionId: string }>['claims']>().toEqualTypeOf<
      BaseTokenClaims & { foo: string }
    >();
  });
});

describe('withAuth generics', () => {
  const eager = new AuthService<Request, Response>({} as never, new FetchSessionStorage({} as never), {} as never, {} as never);
  const lazy = createAuthService<Request, Response>({ sessionStorageFactory: (config) => new FetchSessionStorage(config) });

  it('flows the custom claims type to auth.claims (eager and lazy services)', async () => {
    for (const service of [eager, lazy]) {
      const { auth, refreshedSessionData } = await service.withAuth<{ foo: string }>(request);
      expectTypeOf(refreshedSessionData).toEqualTypeOf<string | undefined>();
      if (!auth.user) {
        expectTypeOf(auth.reason).toEqualTypeOf<UnauthenticatedReason>();
        expectTypeOf(auth.retryable).toEqualTypeOf<boolean>();
        return;
      }
      expectTypeOf(auth.claims.foo).toEqualTypeOf<string>();
      expectTypeOf(auth.claims.sid).toEqualTypeOf<string>();
      expectTypeOf(auth.sessionId).toEqualTypeOf<string>();
    }
  });

  it('returns the adapter types from the lazy factory', () => {
    expectTypeOf(lazy).toEqualTypeOf<AuthService<Request, Response>>();
    expectTypeOf(lazy.withAuth).parameter(0).toEqualTypeOf<Request>();
    expectTypeOf(lazy.saveSession).parameter(0).toEqualTypeOf<Response | undefined>();
    expectTypeOf<Awaited<ReturnType<typeof lazy.saveSession>>['response']>().toEqualTypeOf<Response | undefined>();
  });

  it('defaults custom claims to an open record', async () => {
    const { auth } = await lazy.withAuth(request);
    if (auth.user) expectTypeOf(auth.claims.anything).toEqualTypeOf<unknown>();
  });
});

describe('error codes', () => {
  it('are a closed union', () => {
    expectTypeOf<'config_invalid'>().toMatchTypeOf<AuthKitErrorCode>();
    expectTypeOf<'code_exchange_failed'>().toMatchTypeOf<AuthKitErrorCode>();
    expectTypeOf<'not_a_code'>().not.toMatchTypeOf<AuthKitErrorCode>();
  });
});

describe('AnyAuthKitError', () => {
  it('narrows to the error class on switch (error.code) after isAuthKitError', () => {
    const check = (error: unknown) => {
      if (!isAuthKitError(error)) return;
      switch (error.code) {
        case 'refresh_rejected':
        case 'refresh_unavailable':
          expectTypeOf(error).toEqualTypeOf<TokenRefreshError>();
          expectTypeOf(error.retryable).toEqualTypeOf<boolean>();
          break;
        case 'session_malformed':
          expectTypeOf(error).toEqualTypeOf<SessionEncryptionError>();
          break;
        case 'token_invalid':
          expectTypeOf(error).toEqualTypeOf<TokenValidationError>();
          break;
        case 'state_expired':
          expectTypeOf(error).toEqualTypeOf<OAuthStateMismatchError>();
          break;
        case 'session_revoked':
          expectTypeOf(error).toMatchTypeOf<AuthKitError>();
          expectTypeOf(error.code).toEqualTypeOf<'session_revoked'>();
          break;
        default:
          expectTypeOf(error.code).toMatchTypeOf<AuthKitErrorCode>();
      }
    };
    expectTypeOf(check).toBeFunction();
  });
});
