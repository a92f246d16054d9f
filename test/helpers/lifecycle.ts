import { afterAll, beforeAll, beforeEach } from 'vitest';
import { WorkOS } from '@workos-inc/node';
import { CLIENT_ID, startEmulator, type TestEmulator } from './emulator.js';
import { FaultProxy } from './faultProxy.js';
import { makeService, type ServiceHarness } from './service.js';

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

/** A WorkOS SDK client pointed at the emulator (or anything listening on `port`). */
export function workosFor(port: number, apiKey: string, clientId = CLIENT_ID): WorkOS {
  return new WorkOS(apiKey, { apiHostname: 'localhost', port, https: false, clientId });
}

/**
 * Registers hooks that start one emulator for the calling test file (with a WorkOS client pointed at it)
 * and stop it after. Read `em` and `workos` inside tests.
 */
export function useEmulator(): { readonly em: TestEmulator; readonly workos: WorkOS } {
  const context = {} as { em: TestEmulator; workos: WorkOS };
  beforeAll(async () => {
    context.em = await startEmulator();
    context.workos = workosFor(context.em.port, context.em.apiKey);
  });
  afterAll(async () => {
    await context.em?.close();
  });
  return context;
}

/**
 * Registers a hook that builds one service harness (`makeService`) on the emulator of `ctx` before the calling
 * file's tests, after `ctx`'s own hooks. Read its fields inside tests.
 */
export function useHarness(ctx: { readonly em: TestEmulator }): ServiceHarness {
  const holder = {} as { built: ServiceHarness };
  beforeAll(() => {
    holder.built = makeService(ctx.em.port, ctx.em.apiKey);
  });
  return {
    get service() {
      return holder.built.service;
    },
    get clock() {
      return holder.built.clock;
    },
    get events() {
      return holder.built.events;
    },
  };
}
