import { describe, expect, it } from 'vitest';
import { formatReport, runFuzz } from './runner.js';

const CASES = Number(process.env.FUZZ_CASES ?? 2000);
const SEED = Number(process.env.FUZZ_SEED ?? 20261122);

describe(`fuzz: ${CASES} seeded cookies (seed ${SEED})`, () => {
  it('never throws, hangs, authenticates a forged cookie, leaks a secret, or calls WorkOS without cause', async () => {
    const report = await runFuzz(CASES, SEED);
    console.log(formatReport(report));
    expect(report.rows.reduce((n, r) => n + r.cases, 0)).toBe(CASES);
    expect(report.rows.length).toBeGreaterThanOrEqual(19);
    for (const row of report.rows) {
      expect(row, row.category).toMatchObject({ thrown: 0, hung: 0, authenticated: 0, forgedAccepted: 0, unexpectedCalls: 0 });
    }
    const mayCall = report.rows.filter((r) =>
      [
        'alg none',
        'HS256 keyed with the public key',
        'foreign key',
        'edited payload',
        'expired (foreign key)',
        'real key, foreign aud',
      ].includes(r.category),
    );
    expect(mayCall.every((r) => r.workosCalls === r.cases)).toBe(true);
    expect(report.leaks).toEqual([]);
  }, 600_000);
});
