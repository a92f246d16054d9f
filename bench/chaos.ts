/**
 * `npm run chaos [-- --minutes 5 --users 100 --seed 1]`: the chaos soak (test/helpers/chaos/run.ts) — 4 server
 * processes on a shared redis-server behind a round-robin balancer, the WorkOS emulator behind the fault
 * proxy, simulated browsers refreshing every ~10 s, Redis killed/frozen and a server SIGKILLed on a schedule,
 * 5% of WorkOS calls faulted. Prints the report; exits 1 on a spurious logout outside a Redis outage, an
 * exception, or a revoked session served.
 */
import { parseArgs } from 'node:util';
import { formatReport } from '../test/helpers/chaos/report.js';
import { runChaos } from '../test/helpers/chaos/run.js';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    users: { type: 'string', default: '100' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
  },
});
const minutes = Number(values.minutes);
const users = Number(values.users);
const seed = Number(values.seed);
if (!(minutes > 0 && minutes <= 60) || !(users >= 1 && users <= 500) || !Number.isInteger(seed)) {
  console.error('usage: npm run chaos -- [--minutes 0.1..60] [--users 1..500] [--seed N] [--json]');
  process.exit(2);
}
const report = await runChaos({ seconds: Math.round(minutes * 60), users, seed, log: (line) => console.error(line) });
console.log(values.json ? JSON.stringify(report, null, 2) : formatReport(report));
const failed = report.logouts.spuriousOutside.length > 0 || report.exceptions > 0 || report.revokedServed.length > 0;
process.exit(failed ? 1 : 0);
