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
