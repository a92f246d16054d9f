import { describe, expect, it } from 'vitest';
import * as iron from 'iron-webcrypto';
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

/** The WebCrypto unsealer must reach iron-webcrypto's outcome for the same input. */
async function expectSameOutcome(body: string, password = PASSWORD, unsealer = new WebCryptoUnsealer()) {
  const expected = await outcome(() => ironUnseal(body, password, Date.now()));
  expect(await outcome(() => unsealer.unseal(body, password, Date.now()))).toEqual(expected);
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
    const cases: [string, (parts: string[]) => void][] = [
      ['prefix', (p) => (p[0] = 'Fe26.1')],
      ['password id', (p) => (p[1] = '2')],
      ['empty password id', (p) => (p[1] = '')],
      ['encryption salt (one digit)', (p) => (p[2] = flip(p[2] as string))],
      ['encryption salt (upper case)', (p) => (p[2] = (p[2] as string).toUpperCase())],
      ['encryption salt (empty)', (p) => (p[2] = '')],
      ['iv (one character)', (p) => (p[3] = flip(p[3] as string))],
      ['iv (short)', (p) => (p[3] = (p[3] as string).slice(0, 20))],
      ['ciphertext (one character)', (p) => (p[4] = flip(p[4] as string))],
      ['ciphertext (truncated)', (p) => (p[4] = (p[4] as string).slice(0, -4))],
      ['ciphertext (empty)', (p) => (p[4] = '')],
      ['ciphertext (standard base64 character)', (p) => (p[4] = `+${(p[4] as string).slice(1)}`)],
      ['expiry (added)', (p) => (p[5] = String(Date.now() + 60_000))],
      ['expiry (not a number)', (p) => (p[5] = 'soon')],
      ['expiry (leading zero)', (p) => (p[5] = '0123')],
      ['hmac salt (one digit)', (p) => (p[6] = flip(p[6] as string))],
      ['hmac salt (empty)', (p) => (p[6] = '')],
      ['hmac (one character)', (p) => (p[7] = flip(p[7] as string))],
      ['hmac (truncated)', (p) => (p[7] = (p[7] as string).slice(0, 40))],
      ['hmac (one character too many)', (p) => (p[7] = `${p[7]}A`)],
      ['hmac (empty)', (p) => (p[7] = '')],
      ['a part dropped', (p) => p.splice(3, 1)],
      ['a part added', (p) => p.push('extra')],
    ];
    it.each(cases)('%s', async (_name, mutate) => {
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

/** Changes one character in the middle of a string to another of the same alphabet. */
function flip(value: string): string {
  const index = Math.floor(value.length / 2);
  const char = value[index];
  const replacement = char === 'a' ? 'b' : 'a';
  return value.slice(0, index) + replacement + value.slice(index + 1);
}
