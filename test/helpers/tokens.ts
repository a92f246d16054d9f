import { generateKeyPair, SignJWT, type JWTPayload } from 'jose';

/** An RS256 key pair the emulator has never seen. */
export async function foreignKeyPair(): Promise<CryptoKeyPair> {
  return (await generateKeyPair('RS256', { extractable: true })) as CryptoKeyPair;
}

/** Signs `claims` with a key of our own (RS256 unless `alg` says otherwise), with an optional `kid`. */
export async function signToken(
  key: CryptoKey | Uint8Array,
  claims: JWTPayload,
  header: { alg?: string; kid?: string } = {},
): Promise<string> {
  const protectedHeader = { alg: header.alg ?? 'RS256', typ: 'JWT', ...(header.kid ? { kid: header.kid } : {}) };
  return new SignJWT(claims).setProtectedHeader(protectedHeader).sign(key);
}
