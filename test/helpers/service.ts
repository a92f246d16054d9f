import { FetchSessionStorage } from '../../src/adapters/fetch.js';
import type { AuthKitEvent } from '../../src/core/events.js';
import { createAuthService } from '../../src/service/factory.js';
import type { AuthService, AuthServiceOptions } from '../../src/service/AuthService.js';
import { setCookieValue } from './requests.js';
import { configFor, DEMO_EMAIL } from './emulator.js';
import { TestClock } from './clock.js';

export interface ServiceHarness {
  service: AuthService<Request, Response>;
  clock: TestClock;
  events: AuthKitEvent[];
}

/** An AuthService with the Fetch adapter, pointed at `port` (emulator or proxy), with a test clock. */
export function makeService(
  port: number,
  apiKey: string,
  extra: Record<string, unknown> = {},
  options: Omit<AuthServiceOptions, 'clock' | 'onEvent'> = {},
): ServiceHarness {
  const clock = new TestClock();
  const events: AuthKitEvent[] = [];
  const service = createAuthService<Request, Response>({
    config: configFor(port, apiKey, extra),
    sessionStorageFactory: (config) => new FetchSessionStorage(config),
    clock: clock.now,
    onEvent: (event) => events.push(event),
    ...options,
  });
  return { service, clock, events };
}

/**
 * Signs in through the hosted flow: follows the authorize URL on the emulator (302 with a code), then
 * calls handleCallback. Returns the sealed session cookie value and the callback result.
 */
export async function signIn(
  service: AuthService<Request, Response>,
  options: { loginHint?: string; returnPathname?: string; state?: string } = {},
) {
  const url = await service.getSignInUrl({
    loginHint: options.loginHint ?? DEMO_EMAIL,
    ...(options.returnPathname ? { returnPathname: options.returnPathname } : {}),
    ...(options.state !== undefined ? { state: options.state } : {}),
  });
  const authorize = await fetch(url, { redirect: 'manual' });
  if (authorize.status !== 302) throw new Error(`authorize answered ${authorize.status}`);
  const callback = new URL(authorize.headers.get('location') as string);
  const code = callback.searchParams.get('code') as string;
  const state = callback.searchParams.get('state') ?? undefined;
  const result = await service.handleCallback(new Request(callback), new Response(null, { status: 302 }), { code, state });
  const header = result.response?.headers.getSetCookie()[0] ?? '';
  const cookie = setCookieValue(header) as string;
  return { cookie, result, callbackUrl: callback };
}
