import { describe, expect, it } from 'vitest';
import { sealData } from '../../src/core/encryption/ironWebcryptoEncryption.js';
import { applySessionDataPatch } from '../../src/core/sessionStore/sessionData.js';
import { SessionIdKeys } from '../../src/core/sessionStore/sessionIdKeys.js';
import { openStoredSession, sealStoredSession } from '../../src/core/sessionStore/storedSession.js';
import { AuthKitError } from '../../src/core/errors.js';

const PASSWORD = 'a-cookie-password-of-at-least-32-characters';
const OTHER = 'another-cookie-password-of-32-characters!!';

describe('SessionIdKeys: signed session ids', () => {
  it('makes 256-bit random ids and a 90-character cookie value that verifies', async () => {
    const keys = await SessionIdKeys.derive([PASSWORD], 'client_1');
    const id = SessionIdKeys.newId();
    expect(id).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(SessionIdKeys.newId()).not.toBe(id);
    const cookie = await keys.sign(id);
    expect(cookie).toHaveLength(90);
    expect(cookie.startsWith(`s1.${id}.`)).toBe(true);
    expect(await keys.verify(cookie)).toEqual({ id, passwordIndex: 0 });
  });

  it('refuses a forged, tampered or truncated value, part by part', async () => {
    const keys = await SessionIdKeys.derive([PASSWORD], 'client_1');
    const cookie = await keys.sign(SessionIdKeys.newId());
    const [, id, mac] = cookie.split('.') as [string, string, string];
    const flip = (text: string, at: number) => text.slice(0, at) + (text[at] === 'A' ? 'B' : 'A') + text.slice(at + 1);
    const forged = [
      `s1.${SessionIdKeys.newId()}.${mac}`,
      `s1.${flip(id, 0)}.${mac}`,
      `s1.${id}.${flip(mac, 5)}`,
      `s2.${id}.${mac}`,
      `s1.${id}`,
      `s1.${id}.${mac}.x`,
      `s1.${id}.${mac.slice(1)}`,
      `s1.${id}.${'!'.repeat(43)}`,
      cookie.toUpperCase(),
      '',
    ];
    for (const value of forged) expect(await keys.verify(value)).toBeUndefined();
  });

  it('binds ids to the password and client id: another deployment never verifies', async () => {
    const ours = await SessionIdKeys.derive([PASSWORD], 'client_1');
    const otherPassword = await SessionIdKeys.derive([OTHER], 'client_1');
    const otherClient = await SessionIdKeys.derive([PASSWORD], 'client_2');
    const id = SessionIdKeys.newId();
    expect(await ours.verify(await otherPassword.sign(id))).toBeUndefined();
    expect(await ours.verify(await otherClient.sign(id))).toBeUndefined();
  });

  it('verifies ids signed with a previous password and says which one', async () => {
    const before = await SessionIdKeys.derive([OTHER], 'client_1');
    const rotated = await SessionIdKeys.derive([PASSWORD, OTHER], 'client_1');
    const id = SessionIdKeys.newId();
    expect(await rotated.verify(await before.sign(id))).toEqual({ id, passwordIndex: 1 });
    expect(await rotated.verify(await rotated.sign(id))).toEqual({ id, passwordIndex: 0 });
  });
});

describe('store records', () => {
  it('round-trip under their key, and are refused under another key, another password, or when tampered', async () => {
    const keys = await SessionIdKeys.derive([PASSWORD], 'client_1');
    const record = { key: 'k1', seal: 'Fe26.2*inner' };
    const value = await sealStoredSession(record, keys.recordPasswords[0] as string);
    expect(value).not.toContain('inner');
    expect(await openStoredSession(value, 'k1', keys.recordPasswords)).toEqual(record);
    expect(await openStoredSession(value, 'k2', keys.recordPasswords)).toBeUndefined();
    const other = await SessionIdKeys.derive([OTHER], 'client_1');
    expect(await openStoredSession(value, 'k1', other.recordPasswords)).toBeUndefined();
    expect(await openStoredSession(value.replace('*', '*x'), 'k1', keys.recordPasswords)).toBeUndefined();
  });

  it('are not sealed with the cookie password: a store value never opens as a cookie', async () => {
    const keys = await SessionIdKeys.derive([PASSWORD], 'client_1');
    const value = await sealStoredSession({ key: 'k', seal: 's' }, keys.recordPasswords[0] as string);
    const { unsealData } = await import('../../src/core/encryption/ironWebcryptoEncryption.js');
    await expect(unsealData(value, { password: PASSWORD })).rejects.toThrow('Bad hmac value');
    // And a cookie seal never opens as a record.
    const cookie = await sealData({ v: 1, key: 'k', seal: 's' }, { password: PASSWORD });
    expect(await openStoredSession(cookie, 'k', keys.recordPasswords)).toBeUndefined();
  });
});

describe('applySessionDataPatch', () => {
  it('merges shallowly, removes keys set to undefined, and returns a copy', () => {
    const current = { theme: 'dark', cart: [1], step: 2 };
    const next = applySessionDataPatch<Record<string, unknown>>(current, { cart: [1, 2], step: undefined, locale: 'fr' }, 1_000);
    expect(next).toEqual({ theme: 'dark', cart: [1, 2], locale: 'fr' });
    expect(current).toEqual({ theme: 'dark', cart: [1], step: 2 });
  });

  it('refuses data past the byte budget with session_data_too_large and the sizes', () => {
    const error = (() => {
      try {
        applySessionDataPatch({}, { blob: 'x'.repeat(200) }, 100);
      } catch (caught) {
        return caught as AuthKitError;
      }
      return undefined;
    })();
    expect(error).toBeInstanceOf(AuthKitError);
    expect(error?.code).toBe('session_data_too_large');
    expect(error?.data).toEqual({ bytes: 211, maxBytes: 100 }); // {"blob":"…"}: 9 + 200 + 2 bytes
    expect(error?.message).not.toContain('xxxx');
  });

  it('refuses a patch that is not a plain object, or data that is not JSON', () => {
    expect(() => applySessionDataPatch({}, [] as never, 100)).toThrow(expect.objectContaining({ code: 'session_data_invalid' }));
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => applySessionDataPatch({}, { cyclic }, 100)).toThrow(expect.objectContaining({ code: 'session_data_invalid' }));
  });
});
