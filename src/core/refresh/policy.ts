import type { VerifyOutcome } from '../jwt/verifier.js';

/** What to do with a session's access token, from what verifying it concluded. */
export type RefreshDecision =
  /** Serve the token as it is. */
  | { action: 'use' }
  /**
   * Refresh it. `keepOnTransient`: the token is still valid and only close to expiry, so a transient refresh
   * failure keeps serving it (and the refresh counts as proactive).
   */
  | { action: 'refresh'; keepOnTransient: boolean }
  /** The signing keys could not be fetched: nothing can be decided. */
  | { action: 'keys_unavailable' };

/**
 * The refresh policy, pure: refresh when the token is expired, does not verify, expires within
 * `bufferSeconds` of `nowMs`, or `force` is set; otherwise use it.
 */
export function refreshDecision(outcome: VerifyOutcome<unknown>, nowMs: number, bufferSeconds: number, force: boolean): RefreshDecision {
  if (outcome.status === 'jwks_unavailable') return { action: 'keys_unavailable' };
  const valid = outcome.status === 'valid';
  const expiring = valid && typeof outcome.claims.exp === 'number' && outcome.claims.exp * 1000 - nowMs <= bufferSeconds * 1000;
  if (valid && !force && !expiring) return { action: 'use' };
  return { action: 'refresh', keepOnTransient: expiring && !force };
}
