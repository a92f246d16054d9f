import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FetchSessionStorage } from '../../src/adapters/fetch.js';
import { MemoryCoordinationStore } from '../../src/core/coordination/MemoryCoordinationStore.js';
import { RevocationList } from '../../src/core/coordination/RevocationList.js';
import type { AuthKitEvent } from '../../src/core/events.js';
import { createAuthService } from '../../src/service/factory.js';
import { configFor, startEmulator, type TestEmulator } from '../helpers/emulator.js';
import { requestWithCookies } from '../helpers/requests.js';
import { makeService, signIn } from '../helpers/service.js';
import { TestClock } from '../helpers/clock.js';

let em: TestEmulator;
beforeAll(async () => {
  em = await startEmulator();
});
afterAll(async () => {
  await em.close();
});

const sidOf = (token: string): string => JSON.parse(Buffer.from(token.split('.')[1] as string, 'base64url').toString('utf8')).sid;

describe('revocations are never evicted while they last', () => {
  it('other users signing out (20,000 of them) do not push a victim’s sign-out out', async () => {
    const { service } = makeService(em.port, em.apiKey, { issuer: em.url });
    const { cookie, result } = await signIn(service);
    await service.signOut(sidOf(result.authResponse.accessToken));
    const core = await service.getCore();
    for (let i = 0; i < 20_000; i++) await core.revokeSession(`session_other_${i}`);
    const { auth } = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
    expect(auth).toEqual({ user: null, reason: 'session_revoked', retryable: false });
  });

  it('the shared in-memory store keeps them too, and reports when its capacity is passed', async () => {
    const events: AuthKitEvent[] = [];
    const coordination = new MemoryCoordinationStore({ revocationCapacity: 100 });
    for (let i = 0; i < 1_000; i++) await coordination.revoke(`s${i}`, 60_000);
    expect(await coordination.isRevoked('s0')).toBe(true);
    const list = new RevocationList({ clock: Date.now, capacity: 100, onEvent: (e) => events.push(e) });
    for (let i = 0; i < 150; i++) list.add(`s${i}`, 60_000);
    expect(list.has('s0')).toBe(true);
    expect(events).toEqual([{ type: 'revocation.capacity', entries: 101, capacity: 100 }]);
  });

  it('expired revocations make room before the list grows', () => {
    const clock = new TestClock();
    const events: AuthKitEvent[] = [];
    const list = new RevocationList({ clock: clock.now, capacity: 10, onEvent: (e) => events.push(e) });
    for (let i = 0; i < 10; i++) list.add(`old${i}`, 1_000);
    clock.advance(2);
    for (let i = 0; i < 10; i++) list.add(`new${i}`, 1_000);
    expect(list.size).toBe(10);
    expect(events).toEqual([]);
  });

  it('a sign-out lasts as long as the session can (past the old fixed hour)', async () => {
    const clock = new TestClock();
    const service = createAuthService<Request, Response>({
      config: configFor(em.port, em.apiKey, { issuer: em.url }),
      sessionStorageFactory: (config) => new FetchSessionStorage(config),
      clock: clock.now,
      coordination: new MemoryCoordinationStore({ clock: clock.now }),
    });
    const { cookie, result } = await signIn(service);
    await service.signOut(sidOf(result.authResponse.accessToken));
    clock.advance(2 * 3600);
    const { auth } = await service.withAuth(requestWithCookies({ 'wos-session': cookie }));
    expect(auth).toEqual({ user: null, reason: 'session_revoked', retryable: false });
  });
});
