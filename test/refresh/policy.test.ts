import { describe, expect, it } from 'vitest';
import type { VerifyOutcome } from '../../src/core/jwt/verifier.js';
import { refreshDecision } from '../../src/core/refresh/policy.js';

const NOW = 1_700_000_000_000;
const BUFFER = 60;
const claims = (expInSeconds: number) => ({ sub: 'u', sid: 's', exp: NOW / 1000 + expInSeconds });
const valid = (expInSeconds: number): VerifyOutcome<unknown> => ({ status: 'valid', claims: claims(expInSeconds) });

describe('refreshDecision', () => {
  it('uses a valid token short of the buffer, and refreshes it when forced (a transient failure then fails)', () => {
    expect(refreshDecision(valid(300), NOW, BUFFER, false)).toEqual({ action: 'use' });
    expect(refreshDecision(valid(300), NOW, BUFFER, true)).toEqual({ action: 'refresh', keepOnTransient: false });
  });

  it('refreshes a token inside the buffer ahead of expiry, keeping it on a transient failure unless forced', () => {
    expect(refreshDecision(valid(BUFFER), NOW, BUFFER, false)).toEqual({ action: 'refresh', keepOnTransient: true });
    expect(refreshDecision(valid(1), NOW, BUFFER, false)).toEqual({ action: 'refresh', keepOnTransient: true });
    expect(refreshDecision(valid(BUFFER + 1), NOW, BUFFER, false)).toEqual({ action: 'use' });
    expect(refreshDecision(valid(1), NOW, BUFFER, true)).toEqual({ action: 'refresh', keepOnTransient: false });
  });

  it('refreshes an expired or invalid token with nothing to keep, and decides nothing without keys', () => {
    expect(refreshDecision({ status: 'expired', claims: claims(-10) }, NOW, BUFFER, false)).toEqual({
      action: 'refresh',
      keepOnTransient: false,
    });
    expect(refreshDecision({ status: 'invalid' }, NOW, BUFFER, false)).toEqual({ action: 'refresh', keepOnTransient: false });
    expect(refreshDecision({ status: 'jwks_unavailable' }, NOW, BUFFER, true)).toEqual({ action: 'keys_unavailable' });
  });
});
