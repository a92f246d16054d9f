// The runtime rows of `npm run bench` for Node, Bun and Deno (bench/runtimes.ts): runs the workload
// (workload.mjs) with each step timed inside the runtime. Reads its input from AUTHKIT_RUNTIME_INPUT, prints
// one JSON line.
import { createWorkload } from './workload.mjs';

const input = JSON.parse(process.env.AUTHKIT_RUNTIME_INPUT ?? '{}');
const workload = createWorkload(input);

async function timed(step) {
  const started = performance.now();
  const { calls, failures } = await step();
  return { opsPerSecond: (calls / (performance.now() - started)) * 1000, failures };
}

const out = { entry: import.meta.resolve ? import.meta.resolve('authkit-session').split('/').pop() : '?', rows: {} };
for (const library of ['ours', 'anchor']) {
  await workload.prepare(library);
  const first = await timed(() => workload.firstSight(library));
  const again = await timed(() => workload.repeated(library));
  out.rows[library] = { firstSight: first.opsPerSecond, repeated: again.opsPerSecond, failures: first.failures + again.failures };
}
console.log(JSON.stringify(out));
