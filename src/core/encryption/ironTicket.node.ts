import { Buffer } from 'node:buffer';
import * as nodeCrypto from 'node:crypto';

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
/** `*`, which separates a seal's parts. */
const STAR = 42;
/** `crypto.hash` (one-shot, Node 20.12+) where present; `createHash` otherwise (older Node, other runtimes). */
const oneShot: typeof nodeCrypto.hash | undefined = nodeCrypto.hash;

/** SHA-256 of a string's UTF-8, as 32 latin1 (`binary`) characters. */
function digestOf(body: string): string {
  return oneShot ? oneShot('sha256', body, 'binary') : nodeCrypto.createHash('sha256').update(body, 'utf8').digest('binary');
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

/**
 * The compact ticket of any ticket: a first-sight one hashed (its body's digest, then its key), else itself.
 * The two are joined as strings (no buffer to assemble them in), and reading a character makes the engine
 * flatten them into one 64-character string there and then, which the collector keeps alone (a joined
 * string left unread would hold both halves and a node, some 50 bytes more per entry until first read).
 */
export function compactTicket(ticket: string): string {
  if (ticket.length <= DIGEST_CHARS + KEY_CHARS) return ticket;
  const compact = digestOf(ticket.slice(KEY_CHARS)) + ticket.slice(0, KEY_CHARS);
  compact.charCodeAt(0);
  return compact;
}

/** Whether `body` is the seal `ticket` (compact or first-sight) was made for. */
export function matchesTicket(body: string, ticket: string): boolean {
  if (ticket.length === DIGEST_CHARS + KEY_CHARS) return ticket.startsWith(digestOf(body));
  // A first-sight ticket holds the body: equal character for character (a slice compares by memory).
  return ticket.length === KEY_CHARS + body.length && ticket.slice(KEY_CHARS) === body;
}

/**
 * Where a seal body's IV starts: after `Fe26.2*1*`, the encryption salt's 64 hex digits and a `*` (every
 * ticket's seal had that canonical shape when it opened).
 */
const IV_START = 'Fe26.2*1*'.length + 64 + 1;
/** Length of the IV in base64url: 16 bytes. */
const IV_CHARS = 22;
/**
 * The key and IV handed to each decipher, written in place: `createDecipheriv` copies both before it
 * returns, so one pair serves every call (no Buffer objects per reopen).
 */
const scratchKey = Buffer.alloc(KEY_CHARS);
const scratchIv = Buffer.alloc(BLOCK_BYTES);

/** The AES key a ticket (compact or first-sight) holds, as its latin1 characters. */
function keyOf(ticket: string): string {
  return ticket.length === DIGEST_CHARS + KEY_CHARS ? ticket.slice(DIGEST_CHARS) : ticket.slice(0, KEY_CHARS);
}

/**
 * The data of the seal `ticket` was made for, when `body` is that seal: its IV and ciphertext decrypted
 * with the kept key. `undefined` otherwise, or when the text is not JSON as `Buffer` decodes it (a leading
 * byte-order mark, which iron's decoder drops): the caller then opens the seal the full way.
 */
export function reopenNode(body: string, ticket: string): unknown {
  if (!matchesTicket(body, ticket)) return undefined;
  // A matching body is the canonical seal the ticket was made for, `Fe26.2*1*salt*iv*ciphertext**salt*mac`:
  // its IV and ciphertext are read where they stand, without splitting the body into parts.
  const ivEnd = IV_START + IV_CHARS;
  const end = body.indexOf('*', ivEnd + 1);
  if (body.charCodeAt(ivEnd) !== STAR || end === -1) return undefined;
  try {
    scratchKey.write(keyOf(ticket), 'latin1');
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
