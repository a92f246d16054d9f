import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SEAL_TAMPERINGS } from '../helpers/sealTampering.js';
import { unsealNode } from '../../src/core/encryption/ironNode.node.js';
import { compactTicket, firstSightTicketOf, matchesTicket, reopenNode, unpaddedLength } from '../../src/core/encryption/ironTicket.node.js';
import { webCryptoSeal } from '../../src/core/encryption/webCryptoBackend.js';

const PASSWORD = 'a-very-long-cookie-password-of-at-least-32-chars';
const OTHER = 'another-cookie-password-of-32-chars-or-more';
const SESSION = {
  accessToken: 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln',
  refreshToken: 'refresh_123',
  user: { id: 'user_1', email: 'démo@example.com', firstName: '日本 🎉', metadata: { nested: [1, 2.5, null, true, ''] } },
};

const ironSeal = (data: unknown, password = PASSWORD) => webCryptoSeal(data, password, 0, Date.now());

/** Opens `body` with the node:crypto unsealer; returns what it opened and the ticket it gave. */
function opened(body: string, password = PASSWORD): { data: unknown; ticket: string | undefined } {
  let ticket: string | undefined;
  const data = unsealNode(body, password, Date.now(), undefined, (made) => (ticket = made));
  return { data, ticket };
}

describe('seal tickets (node:crypto)', () => {
  it('gives a first-sight ticket (key and seal) whose 64-character compact form opens the very seal again alike', async () => {
    const body = await ironSeal(SESSION);
    const { data, ticket } = opened(body);
    expect(data).toEqual(SESSION);
    expect([ticket?.length, ticket?.slice(32)]).toEqual([32 + body.length, body]);
    const compact = compactTicket(ticket as string);
    expect([compact.length, compactTicket(compact)]).toEqual([64, compact]);
    for (const kept of [ticket as string, compact]) {
      expect(matchesTicket(body, kept)).toBe(true);
      expect(reopenNode(body, kept)).toEqual(SESSION);
    }
  });

  it('gives no ticket when the seal does not open', async () => {
    const body = await ironSeal(SESSION);
    let ticket: string | undefined;
    expect(() => unsealNode(body, OTHER, Date.now(), undefined, (made) => (ticket = made))).toThrow('Bad hmac value');
    expect(ticket).toBeUndefined();
  });

  it('opens nothing but the seal it was made for: not another seal of the same data and password', async () => {
    const [first, second] = [await ironSeal(SESSION), await ironSeal(SESSION)];
    const { ticket } = opened(first);
    for (const kept of [ticket as string, compactTicket(ticket as string)]) {
      expect(matchesTicket(second, kept)).toBe(false);
      expect(reopenNode(second, kept)).toBeUndefined();
      expect(reopenNode(first, kept.slice(0, -1))).toBeUndefined();
    }
  });

  describe('opens no tampered seal', () => {
    it.each(SEAL_TAMPERINGS)('%s', async (_name, mutate) => {
      const body = await ironSeal(SESSION);
      const { ticket } = opened(body);
      const parts = body.split('*');
      mutate(parts);
      expect(matchesTicket(parts.join('*'), ticket as string)).toBe(false);
      expect(reopenNode(parts.join('*'), ticket as string)).toBeUndefined();
    });
  });

  describe('opens no seal that only decodes like it', () => {
    // Texts other than the seal that a lenient reading would take for it: a ticket binds the very
    // characters, first-sight (compared as text) and compact (the digest of the text's UTF-8) alike.
    const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const cases: [string, (parts: string[]) => void][] = [
      // 43 characters carry 258 bits: the last one's two low bits are not part of the MAC's 32 bytes.
      [
        'MAC, last character spelled with other spare bits',
        (p) => {
          const mac = p[7] as string;
          p[7] = mac.slice(0, -1) + (B64[B64.indexOf(mac.at(-1) as string) ^ 1] as string);
        },
      ],
      // U+0141 is 'A' (0x41) once cut to a byte: hashed as latin1 it would hash as the seal does.
      [
        'ciphertext, a character with the same low byte',
        (p) => {
          const text = p[4] as string;
          const at = Math.floor(text.length / 2);
          p[4] = `${text.slice(0, at)}${String.fromCharCode(0x100 + text.charCodeAt(at))}${text.slice(at + 1)}`;
        },
      ],
      [
        'IV, a character with the same low byte',
        (p) => (p[3] = `${String.fromCharCode(0x100 + (p[3] as string).charCodeAt(0))}${(p[3] as string).slice(1)}`),
      ],
      ['HMAC salt, upper case', (p) => (p[6] = (p[6] as string).toUpperCase())],
      ['HMAC salt of another seal', (p) => (p[6] = randomBytes(32).toString('hex'))],
      ['a character above U+007F as the expiry (2 bytes)', (p) => (p[5] = 'é')],
      ['a character above U+07FF as the expiry (3 bytes)', (p) => (p[5] = '€')],
    ];
    it.each(cases)('%s', async (_name, mutate) => {
      const body = await ironSeal(SESSION);
      const { ticket } = opened(body);
      const parts = body.split('*');
      mutate(parts);
      expect(parts.join('*')).not.toBe(body);
      for (const kept of [ticket as string, compactTicket(ticket as string)]) {
        expect(matchesTicket(parts.join('*'), kept)).toBe(false);
        expect(reopenNode(parts.join('*'), kept)).toBeUndefined();
        expect(reopenNode(body, kept)).toEqual(SESSION);
      }
    });
  });

  it('reopens to what iron opened for every padding length, with text split across blocks', async () => {
    // JSON lengths 16n+0 … 16n+15 give every PKCS#7 padding length (16 … 1); multi-byte characters land on block edges.
    for (let extra = 0; extra < 16; extra++) {
      const data = { ...SESSION, note: `${'é'.repeat(extra)}🎉${'x'.repeat(extra)}` };
      const body = await ironSeal(data);
      const { ticket } = opened(body);
      expect(reopenNode(body, ticket as string)).toEqual(data);
    }
  });

  it('opens nothing with a ticket whose digest matches but whose key is not the seal key', async () => {
    const body = await ironSeal(SESSION);
    for (let attempt = 0; attempt < 32; attempt++)
      expect(reopenNode(body, compactTicket(firstSightTicketOf(body, randomBytes(32))))).toBeUndefined();
  });

  it('reads PKCS#7 padding strictly', () => {
    const block = (fill: number[]) => Uint8Array.from([...new Array(32 - fill.length).fill(0x61), ...fill]);
    expect(unpaddedLength(block([1]))).toBe(31);
    expect(unpaddedLength(block([3, 3, 3]))).toBe(29);
    expect(unpaddedLength(new Uint8Array(16).fill(16))).toBe(0);
    expect(unpaddedLength(block([0]))).toBeUndefined();
    expect(unpaddedLength(block([17]))).toBeUndefined();
    expect(unpaddedLength(block([2, 3, 3]))).toBeUndefined();
    expect(unpaddedLength(block([3, 2, 3]))).toBeUndefined();
    expect(unpaddedLength(Uint8Array.from([...new Array(16).fill(0x61), 1]))).toBeUndefined();
    expect(unpaddedLength(new Uint8Array(0))).toBeUndefined();
  });
});
