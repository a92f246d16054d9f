import type { WorkOSPort } from './client/port.js';
import { systemClock, type Clock } from './clock.js';
import type { CoordinationStore } from './coordination/CoordinationStore.js';
import { MemoryCoordinationStore } from './coordination/MemoryCoordinationStore.js';
import type { CryptoBackend } from './encryption/backend.js';
import { createDefaultCryptoBackend } from './encryption/defaultBackend.js';
import type { AuthKitEventHandler } from './events.js';
import type { AuthKitCoreOptions } from './options.js';

/**
 * Everything the core reaches outside itself, resolved once (by `createCore`) and passed down: no unit
 * reads the system time, a global backend or a global `fetch` on its own.
 */
export interface CoreDeps {
  /** Milliseconds since the epoch; the only time source, iron's seal expiry included. */
  readonly clock: Clock;
  /** Waits `ms` milliseconds. */
  readonly sleep: (ms: number) => Promise<void>;
  /** `fetch` for the JWKS; `undefined` for the global one. */
  readonly fetch: typeof fetch | undefined;
  /** The WorkOS calls this library makes. */
  readonly workos: WorkOSPort;
  /** Sealing, unsealing, SHA-256 and RS256 checks. */
  readonly crypto: CryptoBackend;
  /** Refresh leases and results, revocations, marks and single-use claims, shared across instances or not. */
  readonly coordination: CoordinationStore;
  /** Receives events; never allowed to throw into the library. */
  readonly onEvent: AuthKitEventHandler | undefined;
}

const realSleep = (ms: number): Promise<void> => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Fills every seam the options leave out with its production default. */
export function resolveDeps(workos: WorkOSPort, options: AuthKitCoreOptions): CoreDeps {
  const clock = options.clock ?? systemClock;
  return Object.freeze({
    clock,
    sleep: options.sleep ?? realSleep,
    fetch: options.fetch,
    workos,
    crypto: options.crypto ?? createDefaultCryptoBackend(),
    coordination: options.coordination ?? new MemoryCoordinationStore({ clock }),
    onEvent: options.onEvent,
  });
}
