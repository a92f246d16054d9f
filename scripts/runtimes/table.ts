/** One runtime's results: the program's checks plus Node opening the seal the runtime made. */
export interface RuntimeRow {
  runtime: string;
  version: string;
  /** The package file the runtime loaded (`index.node.js` under the `node` condition), or `bundled`. */
  entry: string;
  checks: Record<string, { ok: boolean; detail: string; ms: number }>;
  nodeReads: { ok: boolean; detail: string };
  /** Set when the program did not run to the end (crash, timeout, bad output). */
  error: string | undefined;
  ms: number;
}

/** Table columns: header and where the cell comes from. */
const COLUMNS: { header: string; cell: (row: RuntimeRow) => { ok: boolean; detail: string } | undefined }[] = [
  { header: 'seal↔unseal', cell: (row) => row.checks.sealRoundTrip },
  { header: 'reads Node seal', cell: (row) => row.checks.readNodeSeal },
  { header: 'Node reads its seal', cell: (row) => row.nodeReads },
  { header: 'JWKS verify + withAuth', cell: (row) => row.checks.withAuth },
  { header: 'refresh', cell: (row) => row.checks.refresh },
  { header: 'garbage → reason', cell: (row) => row.checks.garbageCookie },
];

/** True when the program ran and every cell passed. */
export function rowPassed(row: RuntimeRow): boolean {
  return !row.error && COLUMNS.every((column) => column.cell(row)?.ok === true);
}

/** The pass/fail table, then one line per failed cell with its detail. */
export function formatTable(rows: RuntimeRow[]): string {
  const header = ['runtime', 'version', 'entry', ...COLUMNS.map((c) => c.header), 'result', 'time'];
  const body = rows.map((row) => [
    row.runtime,
    shortVersion(row.version),
    row.entry,
    ...COLUMNS.map((column) => mark(column.cell(row))),
    rowPassed(row) ? 'PASS' : 'FAIL',
    `${(row.ms / 1000).toFixed(1)} s`,
  ]);
  const widths = header.map((title, i) => Math.max(width(title), ...body.map((cells) => width(cells[i] ?? ''))));
  const line = (cells: string[]) => `| ${cells.map((cell, i) => cell + ' '.repeat((widths[i] ?? 0) - width(cell))).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  const failures = rows.flatMap((row) => [
    ...(row.error ? [`${row.runtime}: did not complete: ${row.error}`] : []),
    ...COLUMNS.flatMap((column) => {
      const cell = column.cell(row);
      return cell && !cell.ok ? [`${row.runtime} / ${column.header}: ${cell.detail}`] : [];
    }),
  ]);
  return [line(header), rule, ...body.map(line), ...(failures.length ? ['', 'failures:', ...failures.map((f) => `  ${f}`)] : [])].join(
    '\n',
  );
}

function mark(cell: { ok: boolean } | undefined): string {
  if (!cell) return '–';
  return cell.ok ? 'ok' : 'FAIL';
}

/** `deno 2.9.6 (stable, …)` → `2.9.6`; `workerd 2026-11-17` → `2026-11-17`; `v24.21.0` → `24.21.0`. */
function shortVersion(version: string): string {
  return (version.match(/\d[\w.-]*/)?.[0] ?? version).trim();
}

/** Display width: one column per code point (the table uses only narrow characters). */
function width(text: string): number {
  return [...text].length;
}
