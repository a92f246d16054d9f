import { KeyObject, type webcrypto } from 'node:crypto';
import { createVerifier, TokenError } from 'fast-jwt';

/**
 * fast-jwt's verifier for one RS256 key (the `CryptoKey` jose imported from the key set), as the node
 * backend's `rs256Checker`: made once per key by the verifier that keeps it. Only its signature and
 * algorithm checks are used: RS256 pinned, no cache, its own time checks off (the caller checks the claims
 * with the injected clock). `check(token)` is `true` for a valid signature, `false` for an invalid one,
 * `undefined` for anything fast-jwt refuses before the signature (the caller then asks jose).
 * `undefined` when the key cannot be exported for fast-jwt.
 */
export function fastJwtRs256Checker(key: object): ((token: string) => boolean | undefined) | undefined {
  let verify: (token: string) => unknown;
  try {
    const pem = KeyObject.from(key as webcrypto.CryptoKey).export({ type: 'spki', format: 'pem' }) as string;
    verify = createVerifier({ key: pem, algorithms: ['RS256'], cache: false, ignoreExpiration: true, ignoreNotBefore: true });
  } catch {
    return undefined;
  }
  return (token) => {
    try {
      verify(token);
      return true;
    } catch (error) {
      return error instanceof TokenError && error.code === TokenError.codes.invalidSignature ? false : undefined;
    }
  };
}
