/**
 * `npm run fuzz -- --cases 10000 --seed 7`: the seeded cookie fuzzer against the emulator, printing the
 * result table by category. Exits non-zero when any case threw, hung, authenticated, called WorkOS
 * without cause, or leaked a secret.
 */
import { parseArgs } from 'node:util';
import { formatReport, runFuzz } from '../test/fuzz/runner.js';

const { values } = parseArgs({ options: { cases: { type: 'string', default: '10000' }, seed: { type: 'string', default: '1' } } });
const report = await runFuzz(Number(values.cases), Number(values.seed));
console.log(formatReport(report));
const bad =
  report.rows.some((r) => r.thrown || r.hung || r.authenticated || r.forgedAccepted || r.unexpectedCalls) || report.leaks.length > 0;
process.exit(bad ? 1 : 0);
