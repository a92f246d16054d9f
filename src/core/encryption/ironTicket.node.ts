import { Buffer } from 'node:buffer';
import * as nodeCrypto from 'node:crypto';
import { splitSeal } from './canonical.js';

/**
 * Tickets for seals the node:crypto unsealer opened. A compact ticket is 64 latin1 characters, the SHA-256
 * of the seal body then its AES-256 key: a request carrying a body with that digest carries the very seal
 * whose MAC verified, so it is decrypted with the kept key (no PBKDF2, no HMAC); one flat string of about
 * 80 bytes of heap, so a cache can keep one per seal. The unsealer hands out a first-sight ticket instead:
 * the key then the body itself (a copy), which costs no digest, binds by plain equality and is compacted
 * (hashed) only when memory is wanted, so a seal seen once and dropped is never hashed.
 */

const DIGEST_CHARS = 32;
const KEY_CHARS = 32;
/** AES block size: CBC plaintext is padded to a multiple of it (PKCS#7). */
const BLOCK_BYTES = 16;
/** `crypto.hash` (one-shot, Node 20.12+) where present; `createHash` otherwise (older Node, other runtimes). */
const oneShot: typeof nodeCrypto.hash | undefined = nodeCrypto.hash;

/** SHA-256 of a string's UTF-8, as 32 latin1 (`binary`) characters. */
function digestOf(body: string): string {
  return oneShot ? oneShot('sha256', body, 'binary') : nodeCrypto.createHash('sha256').update(body, 'utf8').digest('binary');
}

/**
 * The ticket of `body`, whose AES key is `key` (32 bytes): the digest's characters then the key's, joined
 * as strings (no buffer to assemble them in: about 1 µs less per first sight). Reading a character makes
 * the engine flatten the joined string into one 64-character string there and then, which the collector
 * then keeps alone (the same heap as a string made in one piece; a joined string left unread would hold
 * both halves and a node, some 50 bytes more per entry until first read).
 */
export function ticketOf(body: string, key: Buffer): string {
  const ticket = digestOf(body) + key.toString('latin1', 0, KEY_CHARS);
  ticket.charCodeAt(0);
  return ticket;
}

/**
 * The first-sight ticket of `body`, whose AES key is `key` (32 bytes): the key's latin1 characters then
 * the body, in memory of their own (flattened by reading a character: no share of a request header).
 */
export function firstSightTicketOf(body: string, key: Buffer): string {
  const ticket = key.toString('latin1', 0, KEY_CHARS) + body;
  ticket.charCodeAt(0);
  return ticket;
}

/** The compact ticket of any ticket: a first-sight one hashed (its body's digest, its key), else itself. */
export function compactTicket(ticket: string): string {
  if (ticket.length <= DIGEST_CHARS + KEY_CHARS) return ticket;
  const ticketOfBody = digestOf(ticket.slice(KEY_CHARS)) + ticket.slice(0, KEY_CHARS);
  ticketOfBody.charCodeAt(0);
  return ticketOfBody;
}

/** Whether `body` is the seal `ticket` (compact or first-sight) was made for. */
export function matchesTicket(body: string, ticket: string): boolean {
  if (ticket.length === DIGEST_CHARS + KEY_CHARS) return ticket.startsWith(digestOf(body));
  // A first-sight ticket holds the body: equal character for character (a slice compares by memory).
  return ticket.length === KEY_CHARS + body.length && ticket.slice(KEY_CHARS) === body;
}

/** The AES key a ticket holds, as bytes. */
function keyOf(ticket: string): Buffer {
  return ticket.length === DIGEST_CHARS + KEY_CHARS
    ? Buffer.from(ticket, 'latin1').subarray(DIGEST_CHARS)
    : Buffer.from(ticket.slice(0, KEY_CHARS), 'latin1');
}

/**
 * The data of the seal `ticket` was made for, when `body` is that seal: its IV and ciphertext decrypted
 * with the kept key. `undefined` otherwise, or when the text is not JSON as `Buffer` decodes it (a leading
 * byte-order mark, which iron's decoder drops): the caller then opens the seal the full way.
 */
export function reopenNode(body: string, ticket: string): unknown {
  // A matching body is the well-formed seal the ticket was made for: `Fe26.2*1*salt*iv*ciphertext*expiry*salt*mac`.
  const parts = matchesTicket(body, ticket) ? splitSeal(body) : undefined;
  if (!parts) return undefined;
  const [, , , iv, encrypted] = parts;
  try {
    const decipher = nodeCrypto.createDecipheriv('aes-256-cbc', keyOf(ticket), Buffer.from(iv, 'base64url'));
    // One pass, no intermediate buffers: the decipher reads the base64url text itself and, without its
    // padding step, returns every block at once (a verified seal is whole blocks); the padding is checked
    // here, and the text read from the one buffer. Skipping `final` leaves the context to the collector.
    decipher.setAutoPadding(false);
    const plain = decipher.update(encrypted, 'base64url');
    const end = unpaddedLength(plain);
    return end === undefined ? undefined : JSON.parse(plain.toString('utf8', 0, end));
  } catch {
    return undefined;
  }
}

/** The length of `plain` without its PKCS#7 padding; `undefined` when the padding is not well formed. */
export function unpaddedLength(plain: Uint8Array): number | undefined {
  const pad = plain[plain.length - 1];
  if (pad === undefined || pad < 1 || pad > BLOCK_BYTES || plain.length % BLOCK_BYTES !== 0) return undefined;
  for (let index = plain.length - pad; index < plain.length - 1; index++) if (plain[index] !== pad) return undefined;
  return plain.length - pad;
}
