import type { CryptoBackend } from '../encryption/backend.js';
import { decodeBytes } from '../encoding/base64url.js';
import type { DecodedJwt } from './decode.js';
import type { KeysByKid } from './keysByKid.js';

/**
 * What the fast path concluded: claims whose signature verified (`expired` when only their `exp` is past,
 * where jose would throw `JWTExpired`), a signature that does not verify under the set's key for the
 * token's `kid` (invalid, as jose would conclude: not checked again), a key-lookup failure to report, or
 * "ask jose".
 */
export type FastOutcome =
  { claims: Record<string, unknown>; expired: boolean } | { badSignature: true } | { keyError: unknown } | undefined;

/** Whether jose gave a key this path may check RS256 with: a public RSA key of 2048 bits or more, for SHA-256. */
export function isRs256Key(key: unknown): boolean {
  const candidate = key as CryptoKey | undefined;
  const algorithm = candidate?.algorithm as RsaHashedKeyAlgorithm | undefined;
  return (
    candidate?.type === 'public' &&
    candidate.usages.includes('verify') &&
    algorithm?.name === 'RSASSA-PKCS1-v1_5' &&
    algorithm.hash.name === 'SHA-256' &&
    algorithm.modulusLength >= 2048
  );
}

/**
 * jose's `jwtVerify(token, keys, { algorithms: ['RS256'], requiredClaims: ['exp', 'sub', 'sid'],
 * clockTolerance, currentDate: new Date(nowMs) })`, done with the backend's RS256 check, one per token.
 * The header must be plainly RS256 (no `crit`, no `b64`); the key is the one jose gives for it, found
 * without an asynchronous lookup once jose has given it (see `KeysByKid`). Synchronous then, with a
 * synchronous backend. A signature that does not verify is invalid (jose would conclude the same after
 * the same checks). A verified token whose claims are not plainly current and well typed returns
 * `undefined`, as does anything else this path does not judge, and the caller asks jose, so every other
 * outcome and error stays jose's.
 */
export function verifyRs256Fast(
  token: DecodedJwt,
  keys: KeysByKid,
  backend: CryptoBackend,
  nowMs: number,
  clockToleranceSeconds: number,
): FastOutcome | Promise<FastOutcome> {
  if (!backend.verifyRs256) return undefined;
  const { header } = token;
  if (header.alg !== 'RS256' || 'crit' in header || 'b64' in header) return undefined;
  const known = keys.known(header.kid);
  if (known !== undefined) return checkWith(known, token, backend, nowMs, clockToleranceSeconds);
  return lookUpAndCheck(token, keys, backend, nowMs, clockToleranceSeconds);
}

async function lookUpAndCheck(
  token: DecodedJwt,
  keys: KeysByKid,
  backend: CryptoBackend,
  nowMs: number,
  clockToleranceSeconds: number,
): Promise<FastOutcome> {
  const { header, encodedHeader, encodedPayload, encodedSignature } = token;
  let key: unknown;
  try {
    const jws = { payload: encodedPayload, signature: encodedSignature, protected: encodedHeader };
    key = await keys.lookUp(header as { alg: string }, jws, isRs256Key);
  } catch (keyError) {
    return { keyError };
  }
  if (!isRs256Key(key)) return undefined;
  return checkWith(key, token, backend, nowMs, clockToleranceSeconds);
}

function checkWith(
  key: unknown,
  token: DecodedJwt,
  backend: CryptoBackend,
  nowMs: number,
  clockToleranceSeconds: number,
): FastOutcome | Promise<FastOutcome> {
  const signature = decodeBytes(token.encodedSignature);
  if (!signature || !backend.verifyRs256) return undefined;
  const verdict = backend.verifyRs256(key as object, `${token.encodedHeader}.${token.encodedPayload}`, signature);
  if (typeof verdict === 'object') return verdict.then((settled) => conclude(settled, token.claims, nowMs, clockToleranceSeconds));
  return conclude(verdict, token.claims, nowMs, clockToleranceSeconds);
}

function conclude(
  verdict: boolean | undefined,
  claims: Record<string, unknown>,
  nowMs: number,
  clockToleranceSeconds: number,
): FastOutcome {
  if (verdict === false) return { badSignature: true };
  if (verdict !== true) return undefined;
  if (!Object.hasOwn(claims, 'exp') || !Object.hasOwn(claims, 'sub') || !Object.hasOwn(claims, 'sid')) return undefined;
  const now = Math.floor(nowMs / 1000);
  const { iat, nbf, exp } = claims;
  if (iat !== undefined && typeof iat !== 'number') return undefined;
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now + clockToleranceSeconds)) return undefined;
  if (typeof exp !== 'number') return undefined;
  return { claims, expired: exp <= now - clockToleranceSeconds };
}
