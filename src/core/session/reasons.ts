import { isAuthKitError, type AuthKitErrorCode } from '../errors.js';

/** Every {@link UnauthenticatedReason}: the keys of {@link UNAUTHENTICATED_REASONS}, in this order. */
const REASONS = [
  'no_session',
  'invalid_cookie',
  'malformed_session',
  'refresh_rejected',
  'refresh_unavailable',
  'jwks_unavailable',
  'session_revoked',
  'session_idle_timeout',
  'session_expired',
  'invalid_token',
  'internal_error',
  'session_store_unavailable',
] as const;

/**
 * Why `withAuth` answered without a user. Terminal reasons mean the cookie is useless (clear it);
 * transient ones (`retryable: true`) mean keep it and try again.
 *
 * - `no_session`: no session cookie on the request.
 * - `invalid_cookie`: the cookie is not a seal this server can open (tampered, truncated, other password).
 * - `malformed_session`: the seal opened but does not hold a session.
 * - `refresh_rejected`: WorkOS refused the refresh token (signed out, revoked, already used): terminal.
 * - `refresh_unavailable`: WorkOS could not be reached or answered 408/429/5xx: transient.
 * - `jwks_unavailable`: the signing keys could not be fetched: transient.
 * - `session_revoked`: the session was signed out on this or another instance (or at WorkOS, by webhook).
 * - `session_idle_timeout`: no request for longer than `sessionIdleTimeoutSeconds`.
 * - `session_expired`: signed in longer ago than `sessionMaxLifetimeSeconds`.
 * - `invalid_token`: WorkOS returned a token that could not be verified.
 * - `internal_error`: an unexpected failure (bug or misconfiguration): transient.
 * - `session_store_unavailable`: `sessionMode: 'server'` could not reach its session store: transient.
 */
export type UnauthenticatedReason = (typeof REASONS)[number];

/** The transient reasons: the cookie may work again, so it is kept. */
const TRANSIENT_REASONS: ReadonlySet<UnauthenticatedReason> = new Set([
  'refresh_unavailable',
  'jwks_unavailable',
  'internal_error',
  'session_store_unavailable',
]);

/** Every {@link UnauthenticatedReason}, with whether it is transient. */
export const UNAUTHENTICATED_REASONS: Readonly<Record<UnauthenticatedReason, { retryable: boolean }>> = Object.freeze(
  Object.fromEntries(REASONS.map((reason) => [reason, { retryable: TRANSIENT_REASONS.has(reason) }])) as Record<
    UnauthenticatedReason,
    { retryable: boolean }
  >,
);

/** True when the adapter should delete the session cookie for this reason. */
export function shouldClearCookie(reason: UnauthenticatedReason): boolean {
  return reason !== 'no_session' && !UNAUTHENTICATED_REASONS[reason].retryable;
}

/** The reason `withAuth` reports for each error code it can meet; every other failure is `internal_error`. */
const REASON_OF_CODE: Readonly<Partial<Record<AuthKitErrorCode, UnauthenticatedReason>>> = Object.freeze({
  session_decryption_failed: 'invalid_cookie',
  session_malformed: 'malformed_session',
  refresh_rejected: 'refresh_rejected',
  refresh_unavailable: 'refresh_unavailable',
  jwks_unavailable: 'jwks_unavailable',
  token_invalid: 'invalid_token',
  session_revoked: 'session_revoked',
  session_store_unavailable: 'session_store_unavailable',
});

/** The {@link UnauthenticatedReason} for a failure met while authenticating (one table, by error code). */
export function reasonForError(error: unknown): UnauthenticatedReason {
  return (isAuthKitError(error) && REASON_OF_CODE[error.code]) || 'internal_error';
}
