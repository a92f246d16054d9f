import { afterAll, beforeAll, beforeEach } from 'vitest';
import { startEmulator, type TestEmulator } from './emulator.js';
import { FaultProxy } from './faultProxy.js';

/**
 * Registers hooks that start one emulator and a fault proxy in front of it for the calling test file, stop
 * them after, and reset the proxy before each test. Read `em` and `proxy` inside tests (they are set by then).
 */
export function useEmulatorWithProxy(): { readonly em: TestEmulator; readonly proxy: FaultProxy } {
  const context = {} as { em: TestEmulator; proxy: FaultProxy };
  beforeAll(async () => {
    context.em = await startEmulator();
    context.proxy = await new FaultProxy(context.em.port).start();
  });
  afterAll(async () => {
    await context.proxy?.close();
    await context.em?.close();
  });
  beforeEach(() => context.proxy?.reset());
  return context;
}
