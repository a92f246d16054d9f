import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { AuthKitEvent, AuthServiceOptions } from '../../src/index.js';
import { TestClock } from '../helpers/clock.js';
import { countingFetch, type CountingFetch } from '../helpers/fetchCounter.js';
import { launchChromium } from './browser.js';

/** What the demo e2e tests observe the demo through: a test clock, counted WorkOS calls and its events. */
export interface DemoSeams {
  clock: TestClock;
  workos: CountingFetch;
  events: AuthKitEvent[];
  /** The `service` option of `startDemo`, wired to the three above. */
  service: Pick<AuthServiceOptions, 'clock' | 'fetch' | 'onEvent'>;
}

/** A fresh test clock, counting fetch and event list, with the demo's `service` seams wired to them. */
export function demoSeams(): DemoSeams {
  const clock = new TestClock();
  const workos = countingFetch();
  const events: AuthKitEvent[] = [];
  return { clock, workos, events, service: { clock: clock.now, fetch: workos.fetch, onEvent: (event) => events.push(event) } };
}

/** Opens one 960×720 page in a new headless Chromium. */
export async function openPage(): Promise<{ browser: Browser; context: BrowserContext; page: Page }> {
  const browser = await launchChromium();
  const context = await browser.newContext({ viewport: { width: 960, height: 720 } });
  return { browser, context, page: await context.newPage() };
}

/** `times` parallel GETs of the demo's /api/me from `page`, as the page's own script makes them. */
export function getMe<Body = Record<string, unknown>>(page: Page, times: number): Promise<{ status: number; body: Body }[]> {
  return page.evaluate(
    (n) =>
      Promise.all(
        Array.from({ length: n }, async () => {
          const response = await fetch('/api/me', { cache: 'no-store' });
          return { status: response.status, body: await response.json() };
        }),
      ),
    times,
  );
}
