/** How a failed refresh should be treated. */
export interface RefreshFailure {
  /** True when the same refresh token may still work later (timeouts, 408, 429, 5xx, network errors). */
  retryable: boolean;
  /** HTTP status, when the failure had one. */
  status?: number;
  /** Seconds WorkOS asked to wait (429 `Retry-After`). */
  retryAfterSeconds?: number;
}

/**
 * Maps a WorkOS SDK or network error to transient or terminal. Only a definite 4xx answer (e.g.
 * `invalid_grant`: token already exchanged, revoked, or session ended) is terminal. 401/403 are treated
 * as transient: they mean the API key is wrong, which signing users out would not fix.
 */
export function classifyRefreshError(error: unknown): RefreshFailure {
  const status = typeof (error as { status?: unknown })?.status === 'number' ? (error as { status: number }).status : undefined;
  if (status === undefined) return { retryable: true };
  const retryAfter = (error as { retryAfter?: unknown }).retryAfter;
  const retryAfterSeconds = typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined;
  const retryable = status === 408 || status === 429 || status === 401 || status === 403 || status >= 500 || status < 400;
  return { retryable, status, ...(retryAfterSeconds !== undefined ? { retryAfterSeconds } : {}) };
}
