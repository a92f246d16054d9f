import { describe, expect, it } from 'vitest';
import type { CryptoBackend } from '../../src/core/encryption/backend.js';
import { createDefaultCryptoBackend } from '../../src/core/encryption/defaultBackend.js';
import { sealData, sessionEncryption } from '../../src/core/encryption/ironWebcryptoEncryption.js';
import { nodeCryptoBackend } from '../../src/core/encryption/nodeBackend.node.js';
import { createWebCryptoBackend } from '../../src/core/encryption/webCryptoBackend.js';
import type { AuthKitEvent } from '../../src/core/events.js';
import { SessionSealer } from '../../src/core/session/sealer.js';
import type { Session } from '../../src/core/session/types.js';

const defaultCryptoBackend = createDefaultCryptoBackend();

const CURRENT = 'the-current-cookie-password-of-32+-chars';
const PREVIOUS = 'the-previous-cookie-password-of-32+-chars';
const session: Session = {
  accessToken: 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln',
  refreshToken: 'refresh_1',
  user: { id: 'user_1', email: 'a@example.com' } as Session['user'],
};

/** The default backend, recording the `parts` each unseal was handed. */
function recording(): { backend: CryptoBackend; parts: unknown[] } {
  const parts: unknown[] = [];
  const backend: CryptoBackend = {
    ...defaultCryptoBackend,
    unseal: (body, password, nowMs, split) => {
      parts.push(split);
      return defaultCryptoBackend.unseal(body, password, nowMs, split);
    },
  };
  return { backend, parts };
}

function sealer(passwords: string[], backend: CryptoBackend = defaultCryptoBackend, events: AuthKitEvent[] = []) {
  return new SessionSealer(passwords, { crypto: backend, clock: () => 1_700_000_000_000, onEvent: (e) => events.push(e) });
}

describe('SessionSealer', () => {
  it('hands the backend the parts its canonical check split, so a seal is parsed once', async () => {
    const { backend, parts } = recording();
    const sealed = await sealer([CURRENT]).seal(session);
    expect((await sealer([CURRENT], backend).open(sealed)).session).toEqual(session);
    expect(parts).toEqual([sealed.slice(0, -2).split('*')]);
  });

  it('opens a seal of a previous password, says which, and reports session.opened', async () => {
    const events: AuthKitEvent[] = [];
    const sealed = await sealer([PREVIOUS]).seal(session);
    const opened = await sealer([CURRENT, PREVIOUS], defaultCryptoBackend, events).open(sealed);
    expect(opened.passwordIndex).toBe(1);
    expect(events).toEqual([{ type: 'session.opened', passwordIndex: 1 }]);
  });

  it('maps every failure to one code: not ours or tampered, not a session, cannot seal', async () => {
    const sealed = await sealer([CURRENT]).seal(session);
    const tampered = `${sealed.slice(0, -4)}${sealed.at(-4) === 'A' ? 'B' : 'A'}${sealed.slice(-3)}`;
    await expect(sealer([CURRENT]).open(tampered)).rejects.toMatchObject({ code: 'session_decryption_failed' });
    await expect(sealer([PREVIOUS]).open(sealed)).rejects.toMatchObject({ code: 'session_decryption_failed' });
    await expect(sealer([CURRENT]).open('not a seal')).rejects.toMatchObject({ code: 'session_decryption_failed' });
    const notSession = await sealData({ hello: 'world' }, { password: CURRENT });
    await expect(sealer([CURRENT]).open(notSession)).rejects.toMatchObject({ code: 'session_malformed' });
    await expect(sealer(['short']).seal(session)).rejects.toMatchObject({ code: 'session_encryption_failed' });
  });

  it('gives a ticket only when asked, for the current password, with built-in iron on a backend that makes them', async () => {
    const sealed = await sealer([CURRENT]).seal(session);
    const node = sealer([CURRENT], nodeCryptoBackend);
    const { ticket } = await node.open(sealed, true);
    expect(ticket).toHaveLength(32 + sealed.length - 2); // a first-sight ticket: the key, then the seal body
    expect(node.reopen(sealed, ticket as string)).toEqual(session);
    expect(node.reopen(sealed, nodeCryptoBackend.compactTicket?.(ticket as string) as string)).toEqual(session);
    expect(node.reopen(`${sealed.slice(0, -1)}3`, ticket as string)).toBeUndefined();
    expect((await node.open(sealed)).ticket).toBeUndefined();
    expect((await sealer([PREVIOUS, CURRENT], nodeCryptoBackend).open(sealed, true)).ticket).toBeUndefined();
    expect((await sealer([CURRENT], createWebCryptoBackend()).open(sealed, true)).ticket).toBeUndefined();
    const custom = new SessionSealer([CURRENT], { crypto: nodeCryptoBackend, clock: () => 0, onEvent: undefined }, sessionEncryption);
    expect((await custom.open(sealed, true)).ticket).toBeUndefined();
    expect(custom.reopen(sealed, ticket as string)).toBeUndefined();
  });

  it('never opens a seal that carries an expiry (a sign-in state or other value sealed with the password)', async () => {
    const withExpiry = await sealData(session, { password: CURRENT, ttl: 600 }, 1_700_000_000_000);
    await expect(sealer([CURRENT]).open(withExpiry)).rejects.toMatchObject({ code: 'session_decryption_failed' });
  });
});
