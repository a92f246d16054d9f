/**
 * RSASSA-PKCS1-v1_5 with SHA-256 (RS256) signature verification by BigInt arithmetic (RFC 8017 §8.2.2), for
 * runtimes whose native RSA is slow: Deno's node:crypto and WebCrypto spend ~260–430 µs on a 2048-bit
 * check, V8's BigInt ~50 µs. Only public values are involved, so nothing here needs to be constant time.
 * The check never parses the decrypted block: it rebuilds the one encoding a valid signature can have and
 * compares the integers whole (no room for the padding-parsing forgeries of lenient verifiers).
 */

/** An RSA public key as integers, with its modulus length in bytes. */
export interface RsaPublicKey {
  readonly n: bigint;
  readonly e: bigint;
  readonly bytes: number;
}

/** DER of the DigestInfo prefix for SHA-256 (RFC 8017 §9.2, note 1). */
const SHA256_DIGEST_INFO = [
  0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20,
];
const SHA256_BYTES = 32;
/** PKCS #1 needs at least 8 bytes of 0xff padding. */
const MIN_PADDING = 8;

/** Two hex digits per byte value. */
const HEX = Array.from({ length: 256 }, (_, byte) => byte.toString(16).padStart(2, '0'));

/** Big-endian bytes as a non-negative integer. */
export function bytesToBigInt(bytes: Uint8Array): bigint {
  let hex = '0x0';
  for (const byte of bytes) hex += HEX[byte] as string;
  return BigInt(hex);
}

/** `base ** exponent % modulus` by square and multiply. */
function modPow(base: bigint, exponent: bigint, modulus: bigint): bigint {
  let result = 1n;
  let square = base % modulus;
  for (let rest = exponent; rest > 0n; rest >>= 1n) {
    if (rest & 1n) result = (result * square) % modulus;
    square = (square * square) % modulus;
  }
  return result;
}

/** The integer of EMSA-PKCS1-v1_5(SHA-256 digest) for a `bytes`-long modulus: 00 01 ff…ff 00 DigestInfo digest. */
function encodedMessage(digest: Uint8Array, bytes: number): bigint | undefined {
  const padding = bytes - 3 - SHA256_DIGEST_INFO.length - SHA256_BYTES;
  if (digest.length !== SHA256_BYTES || padding < MIN_PADDING) return undefined;
  const block = new Uint8Array(bytes);
  block[1] = 0x01;
  block.fill(0xff, 2, 2 + padding);
  block.set(SHA256_DIGEST_INFO, 3 + padding);
  block.set(digest, bytes - SHA256_BYTES);
  return bytesToBigInt(block);
}

/**
 * Whether `signature` is the RS256 signature of the message whose SHA-256 is `digest`, under `key`.
 * A signature of the wrong length or not below the modulus is invalid, as in RFC 8017 §8.2.2 step 1 and
 * RSAVP1 step 1.
 */
export function verifyRs256Digest(key: RsaPublicKey, digest: Uint8Array, signature: Uint8Array): boolean {
  if (signature.length !== key.bytes || key.e < 3n) return false;
  const expected = encodedMessage(digest, key.bytes);
  const s = bytesToBigInt(signature);
  if (expected === undefined || s >= key.n) return false;
  return modPow(s, key.e, key.n) === expected;
}
