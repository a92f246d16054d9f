import { exportJWK, generateKeyPair, SignJWT, type JWK } from 'jose';
import { createDefaultCryptoBackend } from '../../src/core/encryption/defaultBackend.js';
import { AccessTokenVerifier, type AccessTokenVerifierOptions } from '../../src/core/jwt/verifier.js';

/** An RS256 key pair with its public JWK, and a JWKS-serving fetch for tests of token rules. */
export async function makeKeySet(kid = 'test-key') {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  /** A fetch that answers JWKS requests with this key set and forwards everything else. */
  const fetchWithJwks: typeof fetch = async (input, init) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (url.includes('/sso/jwks/'))
      return new Response(JSON.stringify({ keys: [jwk] }), { headers: { 'content-type': 'application/json' } });
    return fetch(input, init);
  };
  /** Signs claims with this key (RS256 unless `alg` says otherwise). */
  const sign = (claims: Record<string, unknown>, header: Record<string, unknown> = {}) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', kid, ...header }).sign(privateKey);
  return { privateKey, publicKey, jwk, fetchWithJwks, sign };
}

/** A verifier for `clientId` on the default WorkOS issuer, 5 s tolerance, with the given fetch and clock. */
export function testVerifier(
  clientId: string,
  options: Pick<AccessTokenVerifierOptions, 'fetch' | 'clock'> & Partial<AccessTokenVerifierOptions>,
): AccessTokenVerifier {
  return new AccessTokenVerifier({
    jwksUrl: `https://api.workos.com/sso/jwks/${clientId}`,
    issuer: 'https://api.workos.com',
    clientId,
    clockToleranceSeconds: 5,
    timeoutMs: 2000,
    crypto: createDefaultCryptoBackend(),
    ...options,
  });
}
