import { describe, expect, it } from 'vitest';
import * as v034 from 'authkit-session-034';
import * as v071 from 'anchor-authkit-session';
import * as api from '../src/index.js';

const V034_NAMES = [
  'configure',
  'getConfig',
  'getConfigurationProvider',
  'validateConfig',
  'ConfigurationProvider',
  'getWorkOS',
  'sessionEncryption',
  'AuthKitCore',
  'AuthOperations',
  'CookieSessionStorage',
  'AuthService',
  'createAuthService',
  'AuthKitError',
  'SessionEncryptionError',
  'TokenValidationError',
  'TokenRefreshError',
  // Imported by the 0.3.4 README although 0.3.4 never exported it.
  'parseCookieHeader',
];

describe('public surface of src/index.ts', () => {
  it('exports exactly these runtime names', () => {
    expect(Object.keys(api).sort()).toMatchInlineSnapshot(`
      [
        "AuthKitCore",
        "AuthKitError",
        "AuthOperations",
        "AuthService",
        "ConfigurationProvider",
        "CookieSessionStorage",
        "DEFAULT_MAX_PENDING_PKCE_COOKIES",
        "MemoryCoordinationStore",
        "MemorySessionStore",
        "OAuthStateMismatchError",
        "PKCECookieMissingError",
        "PKCEPayloadTooLargeError",
        "PKCE_COOKIE_PREFIX",
        "SessionEncryptionError",
        "TokenRefreshError",
        "TokenValidationError",
        "UNAUTHENTICATED_REASONS",
        "checkCsrf",
        "checkGuards",
        "checkRequestCsrf",
        "configure",
        "createAuthService",
        "createWorkOSClient",
        "getConfig",
        "getConfigurationProvider",
        "getPKCECookieNameForState",
        "getWorkOS",
        "isAuthKitError",
        "isPKCEVerifierCookieName",
        "parseCookieHeader",
        "readEnvironment",
        "requireAuth",
        "requireOrganization",
        "requirePermission",
        "requireRecentSignIn",
        "requireRole",
        "sanitizeReturnPathname",
        "selectStalePKCEVerifierCookieNames",
        "serializeCookie",
        "sessionEncryption",
        "shouldClearCookie",
        "validateConfig",
      ]
    `);
  });

  it('keeps every 0.3.4 runtime export', () => {
    for (const name of V034_NAMES) expect(api, name).toHaveProperty(name);
    // Every name the real 0.3.4 package exports is still here (plus parseCookieHeader, which its README used).
    expect(Object.keys(api)).toEqual(expect.arrayContaining(Object.keys(v034)));
  });

  it('has every 0.7.1 runtime export, each of the same kind', () => {
    expect(Object.keys(api)).toEqual(expect.arrayContaining(Object.keys(v071)));
    for (const [name, value] of Object.entries(v071)) expect(typeof api[name as keyof typeof api], name).toBe(typeof value);
    expect(api.PKCE_COOKIE_PREFIX).toBe(v071.PKCE_COOKIE_PREFIX);
    expect(api.DEFAULT_MAX_PENDING_PKCE_COOKIES).toBe(v071.DEFAULT_MAX_PENDING_PKCE_COOKIES);
    for (const state of ['', 'a', 'Fe26.2**abc~2', 'é€😀'.repeat(40)])
      expect(api.getPKCECookieNameForState(state), state).toBe(v071.getPKCECookieNameForState(state));
    for (const Err of [api.OAuthStateMismatchError, api.PKCECookieMissingError, api.PKCEPayloadTooLargeError]) {
      const error = new Err('boom');
      expect(error).toBeInstanceOf(api.AuthKitError);
      expect(error.name).toBe(Err.name);
    }
  });

  it('keeps the kind of each 0.3.4 export', () => {
    const classes = [
      'ConfigurationProvider',
      'AuthKitCore',
      'AuthOperations',
      'CookieSessionStorage',
      'AuthService',
      'AuthKitError',
      'SessionEncryptionError',
      'TokenValidationError',
      'TokenRefreshError',
    ] as const;
    for (const name of classes) {
      expect(typeof api[name], name).toBe('function');
      expect(api[name].prototype, name).toBeTypeOf('object');
    }
    for (const name of [
      'configure',
      'getConfig',
      'getConfigurationProvider',
      'validateConfig',
      'getWorkOS',
      'createAuthService',
      'parseCookieHeader',
    ] as const) {
      expect(typeof api[name], name).toBe('function');
    }
    // sessionEncryption is an instance, as in 0.3.4, not a class.
    expect(typeof api.sessionEncryption.sealData).toBe('function');
    expect(typeof api.sessionEncryption.unsealData).toBe('function');
  });

  it('keeps the 0.3.4 error hierarchy', () => {
    for (const Err of [api.SessionEncryptionError, api.TokenValidationError, api.TokenRefreshError]) {
      const error = new Err('boom', new Error('inner'));
      expect(error).toBeInstanceOf(api.AuthKitError);
      expect(error).toBeInstanceOf(Error);
      expect(error.message).toBe('boom');
      expect((error.cause as Error).message).toBe('inner');
    }
    const base = new api.AuthKitError('x', undefined, { a: 1 });
    expect(base.name).toBe('AuthKitError');
    expect(base.data).toEqual({ a: 1 });
    const refresh = new api.TokenRefreshError('r', undefined, { userId: 'user_1', sessionId: 'session_1' });
    expect([refresh.userId, refresh.sessionId]).toEqual(['user_1', 'session_1']);
  });
});
