import { describe, expect, it } from 'vitest';
import * as iron from 'iron-webcrypto';
import { SEAL_TAMPERINGS } from '../helpers/sealTampering.js';
import { splitSeal } from '../../src/core/encryption/canonical.js';
import { ironUnseal, WebCryptoUnsealer } from '../../src/core/encryption/ironWebCrypto.js';

const PASSWORD = 'a-very-long-cookie-password-of-at-least-32-chars';
const OTHER = 'another-cookie-password-of-32-chars-or-more';
const SESSION = {
  accessToken: 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln',
  refreshToken: 'refresh_123',
  user: { id: 'user_1', email: 'démo@example.com', firstName: '日本', metadata: { nested: [1, 2.5, null, true, ''] } },
};

const sealWith = (data: unknown, password = PASSWORD, ttl = 0) => iron.seal(data, { id: '1', secret: password }, { ...iron.defaults, ttl });

/** What opening a seal came to: the value, or the error message. */
async function outcome(open: () => unknown): Promise<{ value: unknown } | { error: string }> {
  try {
    return { value: await open() };
  } catch (error) {
    return { error: (error as Error).message };
  }
}

/** The WebCrypto unsealer must reach iron-webcrypto's outcome for the same input, split by itself or by the caller. */
async function expectSameOutcome(body: string, password = PASSWORD, unsealer = new WebCryptoUnsealer()) {
  const expected = await outcome(() => ironUnseal(body, password, Date.now()));
  expect(await outcome(() => unsealer.unseal(body, password, Date.now()))).toEqual(expected);
  const parts = splitSeal(body);
  if (parts) expect(await outcome(() => unsealer.unseal(body, password, Date.now(), parts))).toEqual(expected);
  return expected;
}

describe('WebCrypto iron unsealing against iron-webcrypto', () => {
  it.each([
    ['a session', SESSION],
    ['unicode and a byte-order mark', { text: '\uFEFFhé 日本 🎉' }],
    ['an empty object', {}],
    ['a bare string', 'just a string'],
    ['null', null],
    ['a 10 KB value', { blob: 'x'.repeat(10_000) }],
  ])('opens what iron-webcrypto seals: %s', async (_name, value) => {
    expect(await expectSameOutcome(await sealWith(value))).toEqual({ value });
  });

  it('keeps passwords apart: a seal opens only under its own password, in any order', async () => {
    const unsealer = new WebCryptoUnsealer();
    const mine = await sealWith(SESSION);
    const theirs = await sealWith({ other: true }, OTHER);
    expect(await unsealer.unseal(mine, PASSWORD, Date.now())).toEqual(SESSION);
    await expect(unsealer.unseal(mine, OTHER, Date.now())).rejects.toThrow('Bad hmac value');
    expect(await unsealer.unseal(theirs, OTHER, Date.now())).toEqual({ other: true });
    await expect(unsealer.unseal(theirs, PASSWORD, Date.now())).rejects.toThrow('Bad hmac value');
  });

  it('still opens seals after more passwords than it keeps keys for', async () => {
    const unsealer = new WebCryptoUnsealer();
    const passwords = Array.from({ length: 20 }, (_, index) => `password-number-${index}-of-at-least-32-characters`);
    const seals = await Promise.all(passwords.map((password, index) => sealWith({ index }, password)));
    for (let round = 0; round < 2; round++)
      for (const [index, password] of passwords.entries())
        expect(await unsealer.unseal(seals[index] as string, password, Date.now())).toEqual({ index });
  });

  it('judges expiry at the given time, as iron does', async () => {
    const unsealer = new WebCryptoUnsealer();
    const body = await sealWith({ a: 1 }, PASSWORD, 1_000);
    expect(await unsealer.unseal(body, PASSWORD, Date.now())).toEqual({ a: 1 });
    await expect(unsealer.unseal(body, PASSWORD, Date.now() + 120_000)).rejects.toThrow('Expired seal');
    expect(await expectSameOutcome(await sealWith({ a: 1 }, PASSWORD, -120_000))).toEqual({ error: 'Expired seal' });
  });

  describe('tampering, part by part, fails exactly as iron-webcrypto does', () => {
    it.each(SEAL_TAMPERINGS)('%s', async (_name, mutate) => {
      const parts = (await sealWith(SESSION)).split('*');
      mutate(parts);
      const result = await expectSameOutcome(parts.join('*'));
      expect(result).toHaveProperty('error');
    });
  });

  it('refuses a wrong password, garbage and short passwords as iron-webcrypto does', async () => {
    const body = await sealWith(SESSION);
    expect(await expectSameOutcome(body, OTHER)).toEqual({ error: 'Bad hmac value' });
    for (const input of ['', 'garbage', '*'.repeat(7), `${body}*`]) await expectSameOutcome(input);
    await expectSameOutcome(body, 'short');
    await expectSameOutcome(body, '');
  });

  it('opens authentic seals that do not hold JSON the way iron-webcrypto does', async () => {
    const notJson = await iron.seal('x', { id: '1', secret: PASSWORD }, { ...iron.defaults, encode: () => '{not json' });
    expect(await expectSameOutcome(notJson)).toHaveProperty('error');
  });
});
