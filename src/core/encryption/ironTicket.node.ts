import { Buffer } from 'node:buffer';
import * as nodeCrypto from 'node:crypto';

/**
 * Tickets for seals the node:crypto unsealer opened, made from what its MAC check computed anyway (no
 * digest of its own, no copy of the seal): the seal's AES-256 key and HMAC-SHA256 integrity key (32
 * latin1 characters each), the inner digest of the HMAC that verified (SHA-256 of the integrity key's
 * inner pad then the MAC's text, 32 latin1 characters) and the seal's tail, `*<HMAC salt>*<MAC>` (109
 * characters): one flat 205-character string. A request is answered from a ticket only when its seal is
 * that very seal: the same tail, and the same inner digest of the text before it (one SHA-256 under the
 * secret pad, so no other text has it; compared in constant time); it is then decrypted with the kept
 * key, without key derivation.
 */

const KEY_CHARS = 32;
const DIGEST_CHARS = 32;
/** A seal's tail: `*`, the HMAC salt (64 hex digits), `*`, the MAC (32 bytes in base64url, unpadded). */
const TAIL_CHARS = 1 + 64 + 1 + 43;
/** Where each part of a ticket starts: AES key, integrity key, inner digest, the seal's tail. */
const INTEGRITY_AT = KEY_CHARS;
const DIGEST_AT = 2 * KEY_CHARS;
const TAIL_AT = DIGEST_AT + DIGEST_CHARS;
const TICKET_CHARS = TAIL_AT + TAIL_CHARS;
/** SHA-256's block: HMAC pads its key to it. */
const HASH_BLOCK = 64;
/** AES block size: CBC plaintext is padded to a multiple of it (PKCS#7). */
const BLOCK_BYTES = 16;
/** `*`, which separates a seal's parts. */
const STAR = 42;
/** `crypto.hash` (one-shot, Node 20.12+) where present; `createHash` otherwise (older Node, other runtimes). */
const oneShot: typeof nodeCrypto.hash | undefined = nodeCrypto.hash;
/** Longest MAC text hashed through the scratch buffer; a longer one takes `createHash`. */
const SCRATCH_TEXT = 16_384;

/**
 * Scratch written in place for each call: the AES key and IV handed to the decipher (`createDecipheriv`
 * copies both before it returns), and HMAC's inner input (key pad, then the MAC's text) and outer input
 * (key pad, then the inner digest). The key's bytes are zeroed or the pads restored after each call.
 */
const scratchKey = Buffer.alloc(KEY_CHARS);
const scratchIv = Buffer.alloc(BLOCK_BYTES);
const innerInput = Buffer.alloc(HASH_BLOCK + SCRATCH_TEXT, 0x36);
const outerInput = Buffer.alloc(HASH_BLOCK + DIGEST_CHARS, 0x5c);

/**
 * HMAC-SHA256's inner digest (RFC 2104) under the 32-byte key written as latin1 characters in `key` from
 * `keyAt`, of `text`'s first `length` characters, as 32 latin1 characters; `undefined` unless those are
 * ASCII (`length` bytes of UTF-8): a text with any other character is never hashed as, or cut short to,
 * an ASCII one.
 */
export function innerDigest(key: string, keyAt: number, text: string, length: number): string | undefined {
  if (!oneShot || length > SCRATCH_TEXT) {
    const bytes = Buffer.from(text.slice(0, length), 'utf8');
    if (bytes.length !== length) return undefined;
    const pad = Buffer.alloc(HASH_BLOCK, 0x36);
    for (let index = 0; index < KEY_CHARS; index++) pad[index] = key.charCodeAt(keyAt + index) ^ 0x36;
    return nodeCrypto.createHash('sha256').update(pad).update(bytes).digest('binary');
  }
  // The 32-byte key is zero-padded to the block: only the pad's first 32 bytes depend on it.
  try {
    for (let index = 0; index < KEY_CHARS; index++) innerInput[index] = key.charCodeAt(keyAt + index) ^ 0x36;
    // At most `length` bytes are written, whole characters only: exactly `length` means every character
    // was written, one byte each (one of more bytes would leave a later character out).
    const written = innerInput.write(text, HASH_BLOCK, length, 'utf8');
    return written === length ? oneShot('sha256', innerInput.subarray(0, HASH_BLOCK + written), 'binary') : undefined;
  } finally {
    innerInput.fill(0x36, 0, KEY_CHARS);
  }
}

/** HMAC-SHA256 under `key` (latin1 characters) from its inner digest `inner` (see {@link innerDigest}). */
export function outerDigest(key: string, inner: string): Buffer {
  try {
    for (let index = 0; index < KEY_CHARS; index++) outerInput[index] = key.charCodeAt(index) ^ 0x5c;
    outerInput.write(inner, HASH_BLOCK, DIGEST_CHARS, 'latin1');
    return oneShot ? oneShot('sha256', outerInput, 'buffer') : nodeCrypto.createHash('sha256').update(outerInput).digest();
  } finally {
    outerInput.fill(0x5c, 0, KEY_CHARS);
  }
}

/**
 * The ticket of the seal `body` once it verified and decrypted (see the module's note): its keys, the
 * inner digest of its HMAC and its tail, in memory of their own (flattened by reading a character: no
 * share of the cookie the tail was cut from). `undefined` for a seal of another shape.
 */
export function ticketOf(aesKey: Buffer, integrityKey: string, inner: string, body: string): string | undefined {
  if (body.charCodeAt(body.length - TAIL_CHARS) !== STAR || body.charCodeAt(body.length - 1 - 43) !== STAR) return undefined;
  const ticket = aesKey.toString('latin1', 0, KEY_CHARS) + integrityKey + inner + body.slice(body.length - TAIL_CHARS);
  ticket.charCodeAt(0);
  return ticket;
}

/**
 * Where a seal body's IV starts: after `Fe26.2*1*`, the encryption salt's 64 hex digits and a `*` (every
 * ticket's seal had that canonical shape when it opened, and its MAC covers these characters).
 */
const IV_START = 'Fe26.2*1*'.length + 64 + 1;
/** Length of the IV in base64url: 16 bytes. */
const IV_CHARS = 22;

/**
 * Whether `body` is the seal `ticket` was made for: the kept tail after a text with the kept inner digest
 * (compared in constant time). Returns where that text (the MAC's) ends, or -1.
 */
function verifiedEnd(body: string, ticket: string): number {
  const end = body.length - TAIL_CHARS;
  if (ticket.length !== TICKET_CHARS || end <= IV_START + IV_CHARS || !body.endsWith(ticket.slice(TAIL_AT))) return -1;
  const inner = innerDigest(ticket, INTEGRITY_AT, body, end);
  if (inner === undefined) return -1;
  let difference = 0;
  for (let index = 0; index < DIGEST_CHARS; index++) difference |= inner.charCodeAt(index) ^ ticket.charCodeAt(DIGEST_AT + index);
  return difference === 0 ? end : -1;
}

/** Whether `body` is the seal `ticket` was made for (see {@link reopenNode}). */
export function matchesTicket(body: string, ticket: string): boolean {
  return verifiedEnd(body, ticket) !== -1;
}

/**
 * The data of the seal `ticket` was made for, when `body` is that seal (see the module's note): its IV
 * and ciphertext decrypted with the kept AES key. `undefined` otherwise, or when the text is not JSON as
 * `Buffer` decodes it (a leading byte-order mark, which iron's decoder drops): the caller then opens the
 * seal the full way.
 */
export function reopenNode(body: string, ticket: string): unknown {
  const macEnd = verifiedEnd(body, ticket);
  if (macEnd === -1) return undefined;
  // The MAC text is the canonical one that verified, `Fe26.2*1*salt*iv*ciphertext*` (no expiry): its IV
  // and ciphertext are read where they stand, without splitting the body into parts.
  const ivEnd = IV_START + IV_CHARS;
  const end = body.lastIndexOf('*', macEnd - 1);
  if (body.charCodeAt(ivEnd) !== STAR || end <= ivEnd) return undefined;
  try {
    scratchKey.write(ticket, 0, KEY_CHARS, 'latin1');
    scratchIv.write(body.slice(IV_START, ivEnd), 'base64url');
    const decipher = nodeCrypto.createDecipheriv('aes-256-cbc', scratchKey, scratchIv);
    // One pass, no intermediate buffers: the decipher reads the base64url text itself and, without its
    // padding step, returns every block at once (a verified seal is whole blocks); the padding is checked
    // here, and the text read from the one buffer. Skipping `final` leaves the context to the collector.
    decipher.setAutoPadding(false);
    const plain = decipher.update(body.slice(ivEnd + 1, end), 'base64url');
    const length = unpaddedLength(plain);
    return length === undefined ? undefined : JSON.parse(plain.toString('utf8', 0, length));
  } catch {
    return undefined;
  } finally {
    // The decipher keeps its own copy: no session key stays behind in the shared scratch.
    scratchKey.fill(0);
  }
}

/** The length of `plain` without its PKCS#7 padding; `undefined` when the padding is not well formed. */
export function unpaddedLength(plain: Uint8Array): number | undefined {
  const pad = plain[plain.length - 1];
  if (pad === undefined || pad < 1 || pad > BLOCK_BYTES || plain.length % BLOCK_BYTES !== 0) return undefined;
  for (let index = plain.length - pad; index < plain.length - 1; index++) if (plain[index] !== pad) return undefined;
  return plain.length - pad;
}
