import { base64url, type JWTVerifyGetKey } from 'jose';
import type { CryptoBackend } from '../encryption/backend.js';
import type { DecodedJwt } from './decode.js';

/**
 * What the fast path concluded: claims whose signature verified (`expired` when only their `exp` is past,
 * where jose would throw `JWTExpired`), a key-lookup failure to report, or "ask jose".
 */
export type FastOutcome = { claims: Record<string, unknown>; expired: boolean } | { keyError: unknown } | undefined;

function isRs256Key(key: unknown): key is CryptoKey {
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
 * clockTolerance, currentDate: new Date(nowMs) })`, done with the backend's synchronous RS256 check. It
 * only ever concludes "valid" or, for a token whose signature verified and whose claims pass all of jose's
 * checks before `exp`, "expired" (so an expired token's signature is checked once, not again by jose). Any
 * token that is not plainly well formed, signed and current otherwise (extension headers, another key type,
 * a bad signature, a not-yet-valid token) returns `undefined`, and the caller asks jose, so every other
 * outcome and error stays jose's. The key comes from the same
 * `keys` function jose would call, with the same header; a failure there is returned as `keyError`.
 */
export async function verifyRs256Fast(
  token: DecodedJwt,
  keys: JWTVerifyGetKey,
  backend: CryptoBackend,
  nowMs: number,
  clockToleranceSeconds: number,
): Promise<FastOutcome> {
  if (!backend.verifyRs256) return undefined;
  const { header, claims, encodedHeader, encodedPayload, encodedSignature } = token;
  if (header.alg !== 'RS256' || 'crit' in header || 'b64' in header) return undefined;

  let key: unknown;
  try {
    key = await keys(header as { alg: string }, { payload: encodedPayload, signature: encodedSignature, protected: encodedHeader });
  } catch (keyError) {
    return { keyError };
  }
  if (!isRs256Key(key)) return undefined;
  let signature: Uint8Array;
  try {
    signature = base64url.decode(encodedSignature);
  } catch {
    return undefined;
  }
  const verdict = backend.verifyRs256(key, `${encodedHeader}.${encodedPayload}`, signature);
  if ((typeof verdict === 'object' ? await verdict : verdict) !== true) return undefined;

  if (!Object.hasOwn(claims, 'exp') || !Object.hasOwn(claims, 'sub') || !Object.hasOwn(claims, 'sid')) return undefined;
  const now = Math.floor(nowMs / 1000);
  const { iat, nbf, exp } = claims;
  if (iat !== undefined && typeof iat !== 'number') return undefined;
  if (nbf !== undefined && (typeof nbf !== 'number' || nbf > now + clockToleranceSeconds)) return undefined;
  if (typeof exp !== 'number') return undefined;
  return { claims, expired: exp <= now - clockToleranceSeconds };
}
