import { errors, jwtVerify } from 'jose';
import type { CryptoBackend } from '../encryption/backend.js';
import type { BaseTokenClaims } from '../session/types.js';
import { unverifiedClaims } from './claims.js';
import { decodeToken, type DecodedJwt } from './decode.js';
import { rs256KeyFor, verifyRs256Fast, type Rs256Key } from './fastVerify.js';
import { KeysByKid } from './keysByKid.js';

/** What verifying an access token concluded. */
export type VerifyOutcome<T = Record<string, unknown>> =
  | { status: 'valid'; claims: BaseTokenClaims & T }
  | { status: 'expired'; claims: BaseTokenClaims & T }
  | { status: 'invalid' }
  | { status: 'jwks_unavailable' };

export interface AccessTokenVerifierOptions {
  jwksUrl: string;
  /** Expected issuer; `${issuer}/user_management/${clientId}` is accepted too. `undefined`: `iss` is not checked. */
  issuer: string | undefined;
  clientId: string;
  /** Seconds of allowed skew. */
  clockToleranceSeconds: number;
  /** Milliseconds since the epoch. */
  clock: () => number;
  fetch?: typeof fetch | undefined;
  /** JWKS fetch timeout in milliseconds. */
  timeoutMs: number;
  /** Checks RS256 signatures itself when it can (`rs256Checker`, `verifyRs256`); otherwise jose does. */
  crypto: CryptoBackend;
}

const ALGORITHMS = ['RS256'];
const INVALID_TOKEN_ERRORS = [
  errors.JWSSignatureVerificationFailed,
  errors.JWKSNoMatchingKey,
  errors.JWKSMultipleMatchingKeys,
  errors.JWTClaimValidationFailed,
  errors.JWTInvalid,
  errors.JWSInvalid,
  errors.JOSEAlgNotAllowed,
  errors.JOSENotSupported,
];

/**
 * Verifies WorkOS access tokens against the configured JWKS: RS256 only, `exp`, `sub` and `sid` required,
 * `aud` (when present) must be the client id, `iss` pinned when an issuer is expected (see `expectedIssuer`). Never throws: failures become outcomes, and a key
 * set that cannot be fetched is `jwks_unavailable`, not an invalid token.
 */
export class AccessTokenVerifier {
  private readonly keys: KeysByKid<Rs256Key>;

  constructor(private readonly options: AccessTokenVerifierOptions) {
    this.keys = new KeysByKid(
      options.jwksUrl,
      { timeoutMs: options.timeoutMs, cooldownMs: 30_000, maxAgeMs: 600_000, fetch: options.fetch },
      rs256KeyFor(options.crypto),
    );
  }

  /**
   * @param options.fresh the token was just issued by WorkOS: check signature, issuer and audience, but do
   *   not compare its times with the local clock (a skewed server clock must not reject a fresh token).
   * @param options.decoded the token already decoded by the caller (see `decodeToken`), so it is not decoded again.
   */
  async verify<T = Record<string, unknown>>(
    token: string,
    options: { fresh?: boolean; decoded?: DecodedJwt | undefined } = {},
  ): Promise<VerifyOutcome<T>> {
    const { clockToleranceSeconds, crypto: backend } = this.options;
    const decoded = options.decoded ?? (backend.verifyRs256 || backend.rs256Checker || options.fresh ? decodeToken(token) : undefined);
    const iat = options.fresh ? (decoded?.claims ?? unverifiedClaims(token))?.iat : undefined;
    const now = options.fresh && typeof iat === 'number' ? iat * 1000 : this.options.clock();
    const fast = decoded ? await verifyRs256Fast(decoded, this.keys, backend, now, clockToleranceSeconds) : undefined;
    if (fast && 'claims' in fast) {
      if (!this.checkClaims(fast.claims)) return { status: 'invalid' };
      return { status: fast.expired ? 'expired' : 'valid', claims: fast.claims as BaseTokenClaims & T };
    }
    if (fast && 'badSignature' in fast) return { status: 'invalid' };
    if (fast) return failure(fast.keyError);
    try {
      const { payload } = await jwtVerify(token, this.keys.keys, {
        algorithms: ALGORITHMS,
        requiredClaims: ['exp', 'sub', 'sid'],
        clockTolerance: clockToleranceSeconds,
        currentDate: new Date(now),
      });
      return this.checkClaims(payload) ? { status: 'valid', claims: payload as BaseTokenClaims & T } : { status: 'invalid' };
    } catch (error) {
      if (error instanceof errors.JWTExpired) {
        return this.checkClaims(error.payload)
          ? { status: 'expired', claims: error.payload as BaseTokenClaims & T }
          : { status: 'invalid' };
      }
      return failure(error);
    }
  }

  private checkClaims(payload: Record<string, unknown>): boolean {
    const { issuer, clientId } = this.options;
    const iss = payload.iss;
    if (issuer !== undefined && iss !== issuer && iss !== `${issuer}/user_management/${clientId}`) return false;
    const aud = payload.aud;
    if (aud !== undefined && !(aud === clientId || (Array.isArray(aud) && aud.includes(clientId)))) return false;
    return typeof payload.sub === 'string' && typeof payload.sid === 'string' && typeof payload.exp === 'number';
  }
}

/** Maps a verification error other than expiry: a bad token is `invalid`, anything else means no keys. */
function failure(error: unknown): { status: 'invalid' } | { status: 'jwks_unavailable' } {
  return INVALID_TOKEN_ERRORS.some((type) => error instanceof type) ? { status: 'invalid' } : { status: 'jwks_unavailable' };
}
