import type { Impersonator, User } from '@workos-inc/node';
import type { JWTPayload } from 'jose';
import type { UnauthenticatedReason } from './reasons.js';

/** Claims WorkOS puts in every access token. */
export interface BaseTokenClaims extends JWTPayload {
  sid: string;
  org_id?: string;
  role?: string;
  roles?: string[];
  permissions?: string[];
  entitlements?: string[];
  feature_flags?: string[];
}

/** Extra claims added through JWT templates. */
export type CustomClaims = Record<string, unknown>;

/** An unauthenticated result from `withAuth`: `reason` says why, `retryable` whether trying later may help. */
export interface Unauthenticated {
  user: null;
  /** Why there is no user; see {@link UnauthenticatedReason}. */
  reason: UnauthenticatedReason;
  /** True for transient causes (WorkOS or JWKS unreachable): keep the cookie and retry later. */
  retryable: boolean;
}

/** A signed-in user with verified claims. */
export interface Authenticated<TCustomClaims = Record<string, unknown>> {
  user: User;
  sessionId: string;
  accessToken: string;
  refreshToken: string;
  claims: BaseTokenClaims & TCustomClaims;
  organizationId?: string;
  role?: string;
  roles?: string[];
  permissions?: string[];
  entitlements?: string[];
  featureFlags?: string[];
  impersonator?: Impersonator;
  /** When the user signed in, in milliseconds since the epoch (absent for sessions sealed before it was recorded). */
  signedInAt?: number;
}

/**
 * The result of authentication: narrow on `user`. `withAuth` always sets `reason` and `retryable` on the
 * unauthenticated side; they are optional here only so that 0.3.4 code building `{ user: null }` still compiles.
 */
export type AuthResult<TCustomClaims = Record<string, unknown>> =
  { user: null; reason?: UnauthenticatedReason; retryable?: boolean } | Authenticated<TCustomClaims>;

/** What the session cookie holds, sealed. */
export interface Session {
  accessToken: string;
  refreshToken: string;
  user: User;
  impersonator?: Impersonator;
  /** Set by `@workos-inc/node` and authkit-nextjs seals; kept through refreshes. */
  organizationId?: string;
  /** Set by `@workos-inc/node` and authkit-nextjs seals; kept through refreshes. */
  authenticationMethod?: string;
  /** When the user signed in (this library's clock), in milliseconds since the epoch; kept through refreshes. */
  signedInAt?: number;
  /** Last request that extended the idle clock, in milliseconds since the epoch (see `sessionIdleTimeoutSeconds`). */
  lastActiveAt?: number;
  /** When the current tokens were requested from WorkOS, in milliseconds since the epoch. */
  tokensAt?: number;
  /** App data beside the session (`updateSessionData`); absent until first set, kept through refreshes. */
  data?: Record<string, unknown>;
}

/** Response headers to apply; `Set-Cookie` is an array when there are several cookies. */
export type HeadersBag = Record<string, string | string[]>;

/** Reads and writes the sealed session for a framework's request/response types. */
export interface SessionStorage<TRequest, TResponse, TOptions = unknown> {
  getSession(request: TRequest): Promise<string | null>;
  saveSession(
    response: TResponse | undefined,
    sessionData: string,
    options?: TOptions,
  ): Promise<{ response?: TResponse; headers?: HeadersBag }>;
  clearSession(response: TResponse | undefined, options?: TOptions): Promise<{ response?: TResponse; headers?: HeadersBag }>;
  /** Reads one cookie (0.5+; any `CookieSessionStorage` has it). Needed for browser-bound sign-in and sessions over 4 KB. */
  getCookie?(request: TRequest, name: string): Promise<string | null>;
  /** Writes one cookie (0.5+; any `CookieSessionStorage` has it). */
  setCookie?(
    response: TResponse | undefined,
    name: string,
    value: string,
    options: CookieOptions,
  ): Promise<{ response?: TResponse; headers?: HeadersBag }>;
  /** Deletes one cookie (0.5+; any `CookieSessionStorage` has it). */
  clearCookie?(
    response: TResponse | undefined,
    name: string,
    options: CookieOptions,
  ): Promise<{ response?: TResponse; headers?: HeadersBag }>;
}

/** Seals and unseals session data. */
export interface SessionEncryption {
  sealData: (data: unknown, options: { password: string; ttl?: number | undefined }) => Promise<string>;
  /** `ttl` (seconds) is accepted for the 0.5+ shape; iron checks the expiry written into the seal. */
  unsealData: <T>(encryptedData: string, options: { password: string; ttl?: number | undefined }) => Promise<T>;
}

/** Attributes of a `Set-Cookie`. */
export interface CookieOptions {
  path?: string;
  domain?: string;
  /** Seconds. */
  maxAge?: number;
  expires?: Date;
  httpOnly?: boolean;
  secure?: boolean;
  sameSite?: 'lax' | 'strict' | 'none';
  priority?: 'low' | 'medium' | 'high';
  partitioned?: boolean;
}

/** Options shared by the sign-in and sign-up URL helpers. */
export interface AuthUrlOptions {
  /** Same-origin path to return to after sign-in; sanitised. */
  returnPathname?: string;
  redirectUri?: string;
  organizationId?: string;
  loginHint?: string;
  prompt?: 'login' | 'none' | 'consent' | 'select_account';
  /** OIDC `max_age`, in seconds: WorkOS asks the user to sign in again when their last sign-in is older (step-up; see `requireRecentSignIn`). */
  maxAge?: number;
  /** App state handed back unchanged by `handleCallback`. */
  state?: string;
}

/** Options of `getAuthorizationUrl`. */
export interface GetAuthorizationUrlOptions extends AuthUrlOptions {
  screenHint?: 'sign-up' | 'sign-in';
  /**
   * Seconds since the user last signed in beyond which WorkOS asks them to sign in again. Forwarded as
   * `max_age`; `@workos-inc/node` sends it from 10.6 on (older versions drop it).
   */
  maxAge?: number;
}
