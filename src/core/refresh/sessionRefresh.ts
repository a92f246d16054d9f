import { sessionFromTokens } from '../client/refresh.js';
import type { CoreParts } from '../createCore.js';
import { AuthKitError, TokenRefreshError, TokenValidationError } from '../errors.js';
import { decodeClaims, unverifiedClaims } from '../jwt/claims.js';
import { decodeToken, type DecodedJwt } from '../jwt/decode.js';
import type { VerifyOutcome } from '../jwt/verifier.js';
import type { BaseTokenClaims, CustomClaims, Session } from '../session/types.js';
import { carryTimes } from '../../control/sessionTimes.js';
import { refreshDecision } from './policy.js';

/** A session checked by {@link validateSession}, refreshed or not, with the verified claims of its token. */
export interface ValidatedSession<T> {
  valid: boolean;
  refreshed: boolean;
  session: Session;
  claims: BaseTokenClaims & T;
}

/**
 * Verifies the session's access token and refreshes it as {@link refreshDecision} says. The organization of
 * the current token is kept unless `organizationId` is given.
 * @throws TokenRefreshError when a needed refresh fails; AuthKitError `jwks_unavailable` when keys cannot be
 *   fetched, `session_revoked` when the session was signed out meanwhile; TokenValidationError `token_invalid`.
 */
export async function validateSession<T = CustomClaims>(
  parts: CoreParts,
  session: Session,
  options: { force?: boolean | undefined; organizationId?: string | undefined; decoded?: DecodedJwt | undefined } = {},
): Promise<ValidatedSession<T>> {
  const outcome = await parts.verifier.verify<T>(session.accessToken, { decoded: options.decoded });
  const decision = refreshDecision(outcome, parts.deps.clock(), parts.config.refreshBufferSeconds, options.force === true);
  if (decision.action === 'keys_unavailable') {
    throw new AuthKitError('Signing keys could not be fetched', undefined, undefined, 'jwks_unavailable');
  }
  if (decision.action === 'use' && outcome.status === 'valid') return { valid: true, refreshed: false, session, claims: outcome.claims };
  try {
    const next = await refreshSession(
      parts,
      session,
      outcome,
      options.organizationId,
      decision.action === 'refresh' && decision.keepOnTransient,
    );
    const claims = await freshClaims<T>(parts, next.session.accessToken, next.decoded);
    return { valid: true, refreshed: true, session: next.session, claims };
  } catch (error) {
    const keep = decision.action === 'refresh' && decision.keepOnTransient && error instanceof TokenRefreshError && error.retryable;
    if (keep && outcome.status === 'valid') return { valid: true, refreshed: false, session, claims: outcome.claims };
    throw error;
  }
}

async function refreshSession(
  parts: CoreParts,
  session: Session,
  outcome: VerifyOutcome<unknown>,
  organizationId: string | undefined,
  proactive: boolean,
): Promise<{ session: Session; decoded: DecodedJwt | undefined }> {
  // Only claims whose signature verified (an expired token is fine) may shape the WorkOS call: a token
  // that fails verification is attacker-controlled, so its org_id and sid are ignored.
  const claims = outcome.status === 'valid' || outcome.status === 'expired' ? outcome.claims : undefined;
  const requestedAt = parts.deps.clock();
  const tokens = await parts.refresher.refresh({
    refreshToken: session.refreshToken,
    organizationId: organizationId ?? claims?.org_id ?? session.organizationId,
    userId: session.user.id,
    sessionId: claims?.sid,
    proactive,
  });
  const next = sessionFromTokens(tokens, session);
  // The new token is decoded once: its sid here, its verification in freshClaims.
  const decoded = decodeToken(next.accessToken);
  const nextSid = (decoded?.claims ?? unverifiedClaims(next.accessToken))?.sid;
  await refuseRevoked(parts, claims?.sid ?? unverifiedClaims(session.accessToken)?.sid, nextSid);
  return { session: carryTimes(session, next, tokens.requestedAt ?? requestedAt), decoded };
}

/**
 * After a refresh (which may have been in flight while the user signed out, or reused from the grace
 * window): refuses the new session when the old or the new session id is revoked, and carries a revocation
 * forward to the new session id when WorkOS issued one, so no instance serves it.
 * @throws AuthKitError `session_revoked`.
 */
async function refuseRevoked(parts: CoreParts, previousSid: unknown, nextSid: unknown): Promise<void> {
  const previousRevoked = await parts.revocations.isRevoked(previousSid);
  if (previousRevoked && typeof nextSid === 'string' && nextSid !== previousSid) await parts.revocations.revoke(nextSid);
  if (previousRevoked || (await parts.revocations.isRevoked(nextSid))) {
    throw new AuthKitError('The session was signed out', undefined, undefined, 'session_revoked');
  }
}

/**
 * Claims of a token WorkOS just issued. It is verified (signature, issuer, audience) so a misconfigured
 * issuer surfaces as `token_invalid` instead of a refresh on every request; if the keys cannot be fetched
 * the token is still accepted, since it came straight from WorkOS and its refresh token is already spent.
 */
async function freshClaims<T>(parts: CoreParts, token: string, decoded: DecodedJwt | undefined): Promise<BaseTokenClaims & T> {
  const outcome = await parts.verifier.verify<T>(token, { fresh: true, decoded });
  if (outcome.status === 'invalid') throw new TokenValidationError('WorkOS returned an access token that does not verify');
  if (outcome.status !== 'jwks_unavailable') return outcome.claims;
  return decoded ? (decoded.claims as BaseTokenClaims & T) : decodeClaims<T>(token);
}
