import { describe, expect, it } from 'vitest';
import * as iron from 'iron-webcrypto';
import { SEAL_TAMPERINGS } from '../helpers/sealTampering.js';
import { sealNode, unsealNode } from '../../src/core/encryption/ironNode.node.js';
import { webCryptoSeal } from '../../src/core/encryption/webCryptoBackend.js';

const PASSWORD = 'a-very-long-cookie-password-of-at-least-32-chars';
const OTHER = 'another-cookie-password-of-32-chars-or-more';
const SESSION = {
  accessToken: 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln',
  refreshToken: 'refresh_123',
  user: { id: 'user_1', email: 'démo@example.com', firstName: '日本', metadata: { nested: [1, 2.5, null, true, ''] } },
};

const ironSeal = (data: unknown, password = PASSWORD, ttlMs = 0) => webCryptoSeal(data, password, ttlMs, Date.now());
const ironUnseal = (body: string, password = PASSWORD) => iron.unseal(body, { '1': password }, iron.defaults);

/** What opening a seal came to: the value, or the error message. */
async function outcome(open: () => unknown): Promise<{ value: unknown } | { error: string }> {
  try {
    return { value: await open() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** Both implementations must reach the same outcome for the same input. */
async function expectSameOutcome(body: string, password = PASSWORD) {
  const expected = await outcome(() => ironUnseal(body, password));
  expect(await outcome(() => unsealNode(body, password, Date.now()))).toEqual(expected);
  return expected;
}

describe('node:crypto iron against iron-webcrypto', () => {
  it('opens what iron-webcrypto seals, synchronously', async () => {
    const body = await ironSeal(SESSION);
    const opened = unsealNode(body, PASSWORD, Date.now());
    expect(opened).not.toBeInstanceOf(Promise);
    expect(opened).toEqual(SESSION);
  });

  it('seals what iron-webcrypto opens, in the same wire format', async () => {
    const body = await sealNode(SESSION, PASSWORD, 0, Date.now());
    expect(body).toMatch(/^Fe26\.2\*1\*[0-9a-f]{64}\*[A-Za-z0-9_-]{22}\*[A-Za-z0-9_-]+\*\*[0-9a-f]{64}\*[A-Za-z0-9_-]{43}$/);
    expect(await ironUnseal(body)).toEqual(SESSION);
  });

  it('writes byte for byte what iron-webcrypto writes for the same salts and IV', async () => {
    const body = await sealNode(SESSION, PASSWORD, 60_000, Date.now());
    const [prefix, id, encryptionSalt, ivB64, encryptedB64, expiry, hmacSalt, mac] = body.split('*') as string[];
    const iv = Buffer.from(ivB64 as string, 'base64url');
    const { encrypted } = await iron.encrypt(PASSWORD, { ...iron.defaults.encryption, salt: encryptionSalt, iv }, JSON.stringify(SESSION));
    expect(Buffer.from(encrypted).toString('base64url')).toBe(encryptedB64);
    const macBase = [prefix, id, encryptionSalt, ivB64, encryptedB64, expiry].join('*');
    const expectedMac = await iron.hmacWithPassword(PASSWORD, { ...iron.defaults.integrity, salt: hmacSalt }, macBase);
    expect(expectedMac.digest).toBe(mac);
    expect(Number(expiry)).toBeGreaterThan(Date.now());
  });

  it('writes an expiry only with a ttl, and iron-webcrypto honours it', async () => {
    const body = await sealNode({ a: 1 }, PASSWORD, 1, Date.now());
    expect(body.split('*')[5]).toMatch(/^\d+$/);
    expect(await ironUnseal(body)).toEqual({ a: 1 });
    const past = await ironSeal({ a: 1 }, PASSWORD, -120_000);
    expect(await expectSameOutcome(past)).toEqual({ error: 'Expired seal' });
  });

  it('uses fresh salts and IV every time', async () => {
    const a = (await sealNode(SESSION, PASSWORD, 0, Date.now())).split('*');
    const b = (await sealNode(SESSION, PASSWORD, 0, Date.now())).split('*');
    expect(a[2]).not.toBe(b[2]);
    expect(a[3]).not.toBe(b[3]);
    expect(a[6]).not.toBe(b[6]);
  });

  it.each([
    ['unicode and a byte-order mark', { text: '\uFEFFhé 日本 🎉' }],
    ['an empty object', {}],
    ['a bare string', 'just a string'],
    ['a number', 42],
    ['null', null],
    ['an array', [1, 'two', { three: 3 }]],
    ['a 10 KB value', { blob: 'x'.repeat(10_000) }],
  ])('round-trips %s both ways', async (_name, value) => {
    expect(unsealNode(await ironSeal(value), PASSWORD, Date.now())).toEqual(await ironUnseal(await ironSeal(value)));
    expect(await ironUnseal(await sealNode(value, PASSWORD, 0, Date.now()))).toEqual(value);
  });

  it('refuses a wrong password with iron’s error, without awaiting', async () => {
    const body = await ironSeal(SESSION);
    expect(() => unsealNode(body, OTHER, Date.now())).toThrow('Bad hmac value');
    expect(await expectSameOutcome(body, OTHER)).toEqual({ error: 'Bad hmac value' });
  });

  describe('tampering, part by part, fails exactly as iron-webcrypto does', () => {
    it.each(SEAL_TAMPERINGS)('%s', async (_name, mutate) => {
      const parts = (await ironSeal(SESSION)).split('*');
      mutate(parts);
      const result = await expectSameOutcome(parts.join('*'));
      expect(result).toHaveProperty('error');
    });
  });

  it('rejects garbage and short passwords as iron-webcrypto does', async () => {
    const body = await ironSeal(SESSION);
    for (const input of ['', 'garbage', '*'.repeat(7), `${body}*`]) await expectSameOutcome(input);
    await expectSameOutcome(body, 'short');
    await expectSameOutcome(body, '');
  });

  it('opens authentic seals that do not hold JSON the way iron-webcrypto does', async () => {
    const notJson = await iron.seal('x', { id: '1', secret: PASSWORD }, { ...iron.defaults, encode: () => '{not json' });
    expect(await expectSameOutcome(notJson)).toHaveProperty('error');
  });

  it.each([
    ['a Date', new Date(0)],
    ['a function', () => 1],
    ['NaN', Number.NaN],
    ['Infinity', { n: Infinity }],
    ['undefined', undefined],
    ['an undefined array member', [undefined]],
    ['a class instance', new (class Thing {})()],
    ['a symbol key', { [Symbol('s')]: 1 }],
    ['a bigint', { n: 1n }],
    [
      'a cycle',
      (() => {
        const a: Record<string, unknown> = {};
        a.self = a;
        return a;
      })(),
    ],
  ])('refuses to seal %s as iron-webcrypto does', async (_name, value) => {
    const expected = await outcome(() => ironSeal(value));
    expect(expected).toEqual({ error: 'Data is not JSON serializable' });
    expect(await outcome(() => sealNode(value, PASSWORD, 0, Date.now()))).toEqual(expected);
  });

  it('accepts what iron-webcrypto accepts: undefined members and null prototypes', async () => {
    const value = Object.assign(Object.create(null) as Record<string, unknown>, { a: 1, skipped: undefined });
    expect(await ironUnseal(await sealNode(value, PASSWORD, 0, Date.now()))).toEqual({ a: 1 });
  });

  it('refuses a short password as iron-webcrypto does', async () => {
    const expected = await outcome(() => ironSeal({ a: 1 }, 'short'));
    expect(await outcome(() => sealNode({ a: 1 }, 'short', 0, Date.now()))).toEqual(expected);
  });
});
