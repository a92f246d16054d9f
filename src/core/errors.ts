import type { OAuthStateMismatchError, PKCECookieMissingError, PKCEPayloadTooLargeError } from './pkce/errors.js';

/**
 * Stable, machine-readable error codes. `switch (error.code)` narrows.
 * Messages never contain tokens, seals, cookies or secrets.
 */
export type AuthKitErrorCode =
  | 'config_invalid'
  | 'session_encryption_failed'
  | 'session_decryption_failed'
  | 'session_malformed'
  | 'token_invalid'
  | 'jwks_unavailable'
  | 'refresh_rejected'
  | 'refresh_unavailable'
  | 'state_invalid'
  | 'state_expired'
  | 'state_mismatch'
  | 'state_used'
  | 'code_exchange_failed'
  | 'session_too_large'
  | 'cookie_invalid'
  | 'not_implemented'
  | 'session_missing'
  | 'session_revoked'
  | 'revocation_failed'
  | 'webhook_secret_missing'
  | 'webhook_signature_invalid'
  | 'webhook_timestamp_invalid'
  | 'webhook_payload_invalid'
  | 'coordination_unavailable'
  | 'session_store_unavailable'
  | 'session_data_invalid'
  | 'session_data_too_large'
  | 'unexpected';

/** Base class of every error this library throws. */
export class AuthKitError extends Error {
  override readonly name: string = 'AuthKitError';
  /** Stable code; see {@link AuthKitErrorCode}. */
  readonly code: AuthKitErrorCode;
  /** Extra non-secret context. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  data?: Record<string, any>;

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  constructor(message: string, cause?: unknown, data?: Record<string, any>, code: AuthKitErrorCode = 'unexpected') {
    super(message, cause === undefined ? undefined : { cause });
    this.code = code;
    if (data !== undefined) this.data = data;
  }
}

/** The constructor of an {@link AuthKitError} subclass whose code is one of `C`. */
export type CodedErrorClass<C extends AuthKitErrorCode> = new (
  message: string,
  cause?: unknown,
  code?: C,
) => AuthKitError & { readonly code: C };

/**
 * The base of an {@link AuthKitError} subclass named `name` whose code is one of `C`, `defaultCode` unless the
 * thrower names another. Subclasses extend the result so `instanceof` and `name` stay theirs.
 */
export function codedError<C extends AuthKitErrorCode>(name: string, defaultCode: C): CodedErrorClass<C> {
  return class extends AuthKitError {
    override readonly name: string = name;
    declare readonly code: C;
    constructor(message: string, cause?: unknown, code: C = defaultCode) {
      super(message, cause, undefined, code);
    }
  };
}

/** Codes of {@link SessionEncryptionError}. */
export type SessionEncryptionErrorCode = 'session_encryption_failed' | 'session_decryption_failed' | 'session_malformed';

/** Sealing or unsealing a session failed (`session_encryption_failed` / `session_decryption_failed` / `session_malformed`). */
export class SessionEncryptionError extends codedError<SessionEncryptionErrorCode>('SessionEncryptionError', 'session_decryption_failed') {}

/** An access token could not be parsed or verified (`token_invalid`). */
export class TokenValidationError extends codedError('TokenValidationError', 'token_invalid') {}

/**
 * Refreshing tokens failed. `code` is `refresh_rejected` when WorkOS definitely refused the refresh token
 * (the session is over) and `refresh_unavailable` when the failure is transient (keep the cookie, retry later).
 */
export class TokenRefreshError extends AuthKitError {
  override readonly name: string = 'TokenRefreshError';
  declare readonly code: 'refresh_rejected' | 'refresh_unavailable';
  readonly userId?: string;
  readonly sessionId?: string;
  /** True when retrying later may succeed (timeouts, 429, 5xx, network errors). */
  readonly retryable: boolean;
  /** Seconds WorkOS asked to wait (429 `Retry-After`), when known. */
  readonly retryAfter?: number;

  constructor(
    message: string,
    cause?: unknown,
    context?: { userId?: string; sessionId?: string; retryable?: boolean; retryAfter?: number },
  ) {
    const retryable = context?.retryable ?? false;
    super(message, cause, undefined, retryable ? 'refresh_unavailable' : 'refresh_rejected');
    this.retryable = retryable;
    if (context?.userId !== undefined) this.userId = context.userId;
    if (context?.sessionId !== undefined) this.sessionId = context.sessionId;
    if (context?.retryAfter !== undefined) this.retryAfter = context.retryAfter;
  }
}

/**
 * Every error this library throws, as a union discriminated by `name` and narrowed by `code`: after
 * {@link isAuthKitError}, `switch (error.code)` is exhaustive over {@link AuthKitErrorCode}.
 */
export type AnyAuthKitError =
  | (AuthKitError & { readonly code: Exclude<AuthKitErrorCode, SubclassCode> })
  | SessionEncryptionError
  | TokenValidationError
  | TokenRefreshError
  | OAuthStateMismatchError
  | PKCECookieMissingError
  | PKCEPayloadTooLargeError;

/** Codes carried only by a subclass of {@link AuthKitError}. */
type SubclassCode =
  SessionEncryptionErrorCode | 'token_invalid' | 'refresh_rejected' | 'refresh_unavailable' | OAuthStateMismatchError['code'];

/** True when `error` is one of this library's errors (any {@link AnyAuthKitError}). */
export function isAuthKitError(error: unknown): error is AnyAuthKitError {
  return error instanceof AuthKitError;
}
