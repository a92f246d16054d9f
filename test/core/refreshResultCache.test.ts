import { describe, expect, it } from 'vitest';
import { MemoryRefreshResultCache } from '../../src/core/refresh/RefreshResultCache.js';
import { shouldClearCookie, UNAUTHENTICATED_REASONS, type UnauthenticatedReason } from '../../src/core/session/reasons.js';

describe('MemoryRefreshResultCache', () => {
  it('returns an entry until its TTL passes, then forgets it', () => {
    const cache = new MemoryRefreshResultCache<string>();
    cache.set('k', { ok: true, value: 'v', at: 1_000 }, 500, 1_000);
    expect(cache.get('k', 1_499)).toEqual({ ok: true, value: 'v', at: 1_000 });
    expect(cache.get('k', 1_500)).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(cache.get('missing', 0)).toBeUndefined();
  });

  it('evicts the oldest entries beyond maxEntries, and a re-set entry counts as new', () => {
    const cache = new MemoryRefreshResultCache<number>(2);
    cache.set('a', { ok: true, value: 1, at: 0 }, 1_000, 0);
    cache.set('b', { ok: true, value: 2, at: 0 }, 1_000, 0);
    cache.set('a', { ok: true, value: 3, at: 0 }, 1_000, 0);
    cache.set('c', { ok: true, value: 4, at: 0 }, 1_000, 0);
    expect(cache.size).toBe(2);
    expect(cache.get('b', 1)).toBeUndefined();
    expect(cache.get('a', 1)).toMatchObject({ value: 3 });
    expect(cache.get('c', 1)).toMatchObject({ value: 4 });
  });

  it('remembers failures too', () => {
    const cache = new MemoryRefreshResultCache<number>();
    const error = new Error('rejected');
    cache.set('k', { ok: false, error, at: 0 }, 1_000, 0);
    expect(cache.get('k', 10)).toEqual({ ok: false, error, at: 0 });
  });
});

describe('unauthenticated reasons', () => {
  it('clear the cookie only for terminal reasons other than no_session', () => {
    const cleared = (Object.keys(UNAUTHENTICATED_REASONS) as UnauthenticatedReason[]).filter(shouldClearCookie).sort();
    expect(cleared).toEqual([
      'invalid_cookie',
      'invalid_token',
      'malformed_session',
      'refresh_rejected',
      'session_expired',
      'session_idle_timeout',
      'session_revoked',
    ]);
    expect(Object.isFrozen(UNAUTHENTICATED_REASONS)).toBe(true);
    for (const reason of ['refresh_unavailable', 'jwks_unavailable', 'internal_error'] as const) {
      expect(UNAUTHENTICATED_REASONS[reason].retryable).toBe(true);
    }
  });
});
