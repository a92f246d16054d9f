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

/** An RS256 key from the key set, with the backend's checker for it when the backend makes them. */
export interface Rs256Key {
  readonly key: object;
  readonly check: ((token: string) => boolean | undefined) | undefined;
}

/** Whether jose gave a key this path may check RS256 with: a public RSA key of 2048 bits or more, for SHA-256. */
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

/** What the verifier keeps per key (see `KeysByKid`): RS256 keys only, with the backend's checker. */
export function rs256KeyFor(backend: CryptoBackend): (key: unknown) => Rs256Key | undefined {
  return (key) => (isRs256Key(key) ? { key, check: backend.rs256Checker?.(key) } : undefined);
}

/**
 * jose's `jwtVerify(token, keys, { algorithms: ['RS256'], requiredClaims: ['exp', 'sub', 'sid'],
 * clockTolerance, currentDate: new Date(nowMs) })`, with one signature check by the backend: its checker
 * for the key (node: fast-jwt's verifier), else its `verifyRs256`. The header must be plainly RS256 (no
 * `crit`, no `b64`); the key is the one jose gives for it, found without an asynchronous lookup once jose
 * has given it (see `KeysByKid`); synchronous then, with a synchronous backend. A signature that does not
 * verify is invalid (jose would conclude the same after the same checks). A verified token whose claims
 * are not plainly current and well typed returns `undefined`, as does anything else this path does not
 * judge, and the caller asks jose, so every other outcome and error stays jose's.
 */
export function verifyRs256Fast(
  token: DecodedJwt,
  keys: KeysByKid<Rs256Key>,
  backend: CryptoBackend,
  nowMs: number,
  clockToleranceSeconds: number,
): FastOutcome | Promise<FastOutcome> {
  if (!backend.verifyRs256 && !backend.rs256Checker) return undefined;
  const { header } = token;
  if (header.alg !== 'RS256' || 'crit' in header || 'b64' in header) return undefined;
  const known = keys.known(header.kid);
  if (known !== undefined) return checkWith(known, token, backend, nowMs, clockToleranceSeconds);
  return lookUpAndCheck(token, keys, backend, nowMs, clockToleranceSeconds);
}

async function lookUpAndCheck(
  token: DecodedJwt,
  keys: KeysByKid<Rs256Key>,
  backend: CryptoBackend,
  nowMs: number,
  clockToleranceSeconds: number,
): Promise<FastOutcome> {
  const { header, encodedHeader, encodedPayload, encodedSignature } = token;
  let key: Rs256Key | undefined;
  try {
    key = await keys.lookUp(header as { alg: string }, { payload: encodedPayload, signature: encodedSignature, protected: encodedHeader });
  } catch (keyError) {
    return { keyError };
  }
  return key ? checkWith(key, token, backend, nowMs, clockToleranceSeconds) : undefined;
}

function checkWith(
  { key, check }: Rs256Key,
  token: DecodedJwt,
  backend: CryptoBackend,
  nowMs: number,
  clockToleranceSeconds: number,
): FastOutcome | Promise<FastOutcome> {
  // The token checked is the one decoded, rebuilt from its parts: the claims concluded on are the ones signed.
  if (check) {
    const jwt = `${token.encodedHeader}.${token.encodedPayload}.${token.encodedSignature}`;
    return conclude(check(jwt), token.claims, nowMs, clockToleranceSeconds);
  }
  const signature = decodeBytes(token.encodedSignature);
  if (!signature || !backend.verifyRs256) return undefined;
  const verdict = backend.verifyRs256(key, `${token.encodedHeader}.${token.encodedPayload}`, signature);
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
