/** What the soak is doing to the system at a moment. */
export type Phase = 'steady' | 'redis down' | 'redis frozen' | 'server killed';

interface Window {
  phase: Exclude<Phase, 'steady'>;
  from: number;
  to: number | undefined;
}

/**
 * The scheduled faults as they actually happened (wall-clock milliseconds). A window lasts from the fault
 * until it is repaired plus `settleMs` (the library skips a failed Redis for 5 s, and requests already in
 * flight finish), so effects of an outage are attributed to it.
 */
export class Timeline {
  readonly windows: Window[] = [];

  constructor(
    readonly startedAt: number,
    private readonly settleMs: number,
  ) {}

  open(phase: Window['phase'], at = Date.now()): Window {
    const window: Window = { phase, from: at, to: undefined };
    this.windows.push(window);
    return window;
  }

  close(window: Window, at = Date.now()): void {
    window.to = at;
  }

  phaseAt(at: number): Phase {
    for (const window of this.windows) {
      if (at >= window.from && (window.to === undefined || at <= window.to + this.settleMs)) return window.phase;
    }
    return 'steady';
  }

  /** True inside a window where Redis was down or frozen (and its settle time). */
  inRedisOutage(at: number): boolean {
    const phase = this.phaseAt(at);
    return phase === 'redis down' || phase === 'redis frozen';
  }

  /** Seconds since the start, for reports. */
  seconds(at: number): string {
    return ((at - this.startedAt) / 1000).toFixed(1);
  }
}
