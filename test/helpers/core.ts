import type { WorkOS } from '@workos-inc/node';
import { AuthKitCore } from '../../src/core/AuthKitCore.js';
import { createWorkOSClient } from '../../src/core/client/workos.js';
import type { AuthKitEvent } from '../../src/core/events.js';
import type { Session } from '../../src/core/session/types.js';
import { TestClock } from './clock.js';
import { CLIENT_ID, configFor, DEMO_EMAIL, PASSWORD, type TestEmulator } from './emulator.js';

/** What {@link coreHelpersFor} gives the AuthKitCore tests. */
export interface CoreHelpers {
  /** A fresh session straight from the emulator (password sign-in), as the cookie would hold it. */
  freshSession(): Promise<Session>;
  /** An AuthKitCore on the emulator with a test clock, recording its events. */
  makeCore(
    extra?: Record<string, unknown>,
    options?: ConstructorParameters<typeof AuthKitCore>[3],
  ): { core: AuthKitCore; clock: TestClock; events: AuthKitEvent[] };
}

/** The AuthKitCore tests' helpers, against the emulator of `ctx` (read at each call, so `useEmulator()`'s context fits). */
export function coreHelpersFor(ctx: { readonly em: TestEmulator; readonly workos: WorkOS }): CoreHelpers {
  async function freshSession(): Promise<Session> {
    const r = await ctx.workos.userManagement.authenticateWithPassword({ email: DEMO_EMAIL, password: PASSWORD, clientId: CLIENT_ID });
    return { accessToken: r.accessToken, refreshToken: r.refreshToken, user: r.user };
  }

  function makeCore(extra: Record<string, unknown> = {}, options: ConstructorParameters<typeof AuthKitCore>[3] = {}) {
    const clock = new TestClock();
    const events: AuthKitEvent[] = [];
    const config = configFor(ctx.em.port, ctx.em.apiKey, extra);
    // The same fetch serves the WorkOS client and the JWKS, so counters see both.
    const client = createWorkOSClient(config, options.fetch ? { fetch: options.fetch } : {});
    const core = new AuthKitCore(config, client, undefined, {
      clock: clock.now,
      onEvent: (e) => events.push(e),
      ...options,
    });
    return { core, clock, events };
  }

  return { freshSession, makeCore };
}
