import { MemorySessionStore } from '../../src/core/sessionStore/MemorySessionStore.js';
import { CountingStore } from './countingStore.js';
import type { TestEmulator } from './emulator.js';
import { makeService, type ServiceHarness } from './service.js';

/** Builds a server-mode service on a store. */
export type ServerServiceBuilder = (extra?: Record<string, unknown>, store?: CountingStore) => ServiceHarness & { store: CountingStore };

/**
 * A builder of server-mode services on a counted in-memory store (or the store given), pointed at the emulator
 * of `ctx` (read at each call, so `useEmulator()`'s context can be passed at module level).
 */
export function serverServiceFor(ctx: { readonly em: TestEmulator }): ServerServiceBuilder {
  return (extra = {}, store = new CountingStore(new MemorySessionStore())) => {
    const harness = makeService(ctx.em.port, ctx.em.apiKey, { sessionMode: 'server', ...extra }, { sessionStore: store });
    return { ...harness, store };
  };
}
