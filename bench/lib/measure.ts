/** One timed run: throughput, per-call latency percentiles, and how many calls did not authenticate. */
export interface RunResult {
  calls: number;
  opsPerSecond: number;
  /** Per-call latency in microseconds. */
  p50Us: number;
  p99Us: number;
  failures: number;
}

/** An authenticating call; resolves true when the request authenticated. */
export type Call = (index: number) => Promise<boolean>;

function percentile(sorted: Float64Array, fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] as number;
}

function summarize(latenciesMs: Float64Array, calls: number, elapsedMs: number, failures: number): RunResult {
  const sorted = latenciesMs.subarray(0, calls).sort();
  return {
    calls,
    opsPerSecond: (calls / elapsedMs) * 1000,
    p50Us: percentile(sorted, 0.5) * 1000,
    p99Us: percentile(sorted, 0.99) * 1000,
    failures,
  };
}

/** Runs `call(0..calls-1)` one after another, timing each. */
export async function sequential(call: Call, calls: number): Promise<RunResult> {
  const latencies = new Float64Array(calls);
  let failures = 0;
  const started = performance.now();
  for (let index = 0; index < calls; index++) {
    const before = performance.now();
    if (!(await call(index))) failures++;
    latencies[index] = performance.now() - before;
  }
  return summarize(latencies, calls, performance.now() - started, failures);
}

/** Runs `calls` calls with `inFlight` of them outstanding at all times, timing each. */
export async function concurrent(call: Call, calls: number, inFlight: number): Promise<RunResult> {
  const latencies = new Float64Array(calls);
  let failures = 0;
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let index = next++; index < calls; index = next++) {
      const before = performance.now();
      if (!(await call(index))) failures++;
      latencies[index] = performance.now() - before;
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: inFlight }, worker));
  return summarize(latencies, calls, performance.now() - started, failures);
}

/** The median of some numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

/** Calls the garbage collector when node runs with `--expose-gc` (twice, so finalizers settle). */
export function collectGarbage(): boolean {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) return false;
  gc();
  gc();
  return true;
}
