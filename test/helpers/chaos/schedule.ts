import type { SimBrowser } from './browser.js';
import type { Rng } from './rng.js';
import type { Timeline } from './timeline.js';

// The soak's schedule (test/helpers/chaos/run.ts): the scheduled outages and the planned sign-outs and revocations.

/** Breaks something (`breakIt`), waits, repairs it, and records the window on the timeline. */
export async function outage(
  timeline: Timeline,
  phase: 'redis down' | 'redis frozen' | 'server killed',
  log: (line: string) => void,
  breakIt: () => Promise<void>,
  repair: () => Promise<void>,
): Promise<void> {
  const window = timeline.open(phase);
  log(`${timeline.seconds(Date.now())} s: ${phase}`);
  await breakIt();
  await sleep(phase === 'server killed' ? 2_000 : 3_000);
  await repair();
  timeline.close(window);
  log(`${timeline.seconds(Date.now())} s: repaired (${phase})`);
}

/** A sign-out or revocation planned for a browser, in one of two slots of the run. */
export type Planned = { slot: 0 | 1; fraction: number; browser: SimBrowser; action: 'sign-out' | 'revoke' };

/**
 * Real sign-outs and revocations, half early and half late in the run, in slots clear of the Redis
 * outages (this redis-server keeps no data across a restart, so a revocation recorded before a restart is
 * forgotten: see the README's reliability section).
 */
export function planActions(rng: Rng, browsers: SimBrowser[], each: number): Planned[] {
  const planned: Planned[] = [];
  const chosen = new Set<number>();
  for (const action of ['sign-out', 'revoke'] as const) {
    for (let i = 0; i < each; i++) {
      let index = rng.int(0, browsers.length - 1);
      while (chosen.has(index) && chosen.size < browsers.length) index = (index + 1) % browsers.length;
      chosen.add(index);
      planned.push({ slot: i % 2 === 0 ? 0 : 1, fraction: rng.next(), browser: browsers[index] as SimBrowser, action });
    }
  }
  return planned.sort((a, b) => a.fraction - b.fraction);
}

/** Resolves after `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
