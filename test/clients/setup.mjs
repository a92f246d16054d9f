// Prepares the published-client projects for test/clients: builds and packs this package, then installs in
// test/clients/.scratch/ (gitignored) one small project per client, with @workos/authkit-session resolved to
// the packed tarball through npm `overrides` (or to upstream 0.7.1 for the control). Peer packages of the
// SDK are not installed (--legacy-peer-deps); the TanStack request context comes from ./framework/.
// A project is reinstalled only when its manifest or the tarball changed. Runnable alone: `node setup.mjs`.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
export const SCRATCH = join(here, '.scratch');
const TARBALL = 'authkit-session.tgz';

/** The client projects: name → published SDK version, WorkOS SDK version, and what serves the library. */
const TANSTACK = {
  '@tanstack/react-start': `file:${join(here, 'framework', 'react-start')}`,
  '@tanstack/react-router': `file:${join(here, 'framework', 'react-router')}`,
};

export const CLIENTS = {
  'tanstack-0.5.0': { sdk: ['@workos/authkit-tanstack-react-start', '0.5.0'], workos: '^8.13.0', library: 'this', framework: TANSTACK },
  'tanstack-0.11.1': { sdk: ['@workos/authkit-tanstack-react-start', '0.11.1'], workos: '^10.7.0', library: 'this', framework: TANSTACK },
  'tanstack-0.11.1-upstream': {
    sdk: ['@workos/authkit-tanstack-react-start', '0.11.1'],
    workos: '^10.7.0',
    library: '0.7.1',
    framework: TANSTACK,
  },
  // Type definitions only: the published SvelteKit SDK bundles its own copy of the library at run time.
  'sveltekit-0.3.0': {
    sdk: ['@workos/authkit-sveltekit', '0.3.0'],
    workos: '^8.13.0',
    library: 'this',
    framework: { '@sveltejs/kit': `file:${join(here, 'framework', 'sveltekit')}` },
  },
};

function manifest(name, client) {
  return {
    name: `client-${name}`,
    private: true,
    type: 'module',
    dependencies: {
      [client.sdk[0]]: client.sdk[1],
      '@workos-inc/node': client.workos,
      ...client.framework,
    },
    overrides: { '@workos/authkit-session': client.library === 'this' ? `file:../${TARBALL}` : client.library },
  };
}

/** Builds the package and packs it to .scratch/authkit-session.tgz; returns the tarball's sha256. */
async function pack(log) {
  mkdirSync(SCRATCH, { recursive: true });
  await run('npx', ['tsup', '--silent'], { cwd: root });
  const { stdout } = await run('npm', ['pack', '--pack-destination', SCRATCH, '--silent', '--ignore-scripts'], { cwd: root });
  const file = stdout.trim().split('\n').pop();
  renameSync(join(SCRATCH, file), join(SCRATCH, TARBALL));
  const hash = createHash('sha256').update(readFileSync(join(SCRATCH, TARBALL))).digest('hex');
  log(`packed ${file} (${hash.slice(0, 12)})`);
  return hash;
}

/** Installs one client project unless the same manifest and tarball are already installed. */
async function install(name, client, tarballHash, log) {
  const dir = join(SCRATCH, name);
  const wanted = JSON.stringify(manifest(name, client), null, 2);
  const stamp = createHash('sha256').update(wanted).update(client.library === 'this' ? tarballHash : '').digest('hex');
  const stampFile = join(dir, '.installed');
  if (!(existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp)) {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), `${wanted}\n`);
    const started = Date.now();
    await run(
      'npm',
      ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--legacy-peer-deps', '--no-package-lock', '--loglevel=error'],
      { cwd: dir },
    );
    writeFileSync(stampFile, stamp);
    log(`installed ${name} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  }
  for (const file of ['drive.mjs', 'sveltekit-types.ts', 'tsconfig.sveltekit.json']) copyFileSync(join(here, file), join(dir, file));
  return dir;
}

/** Packs this package and installs every client project; returns their directories by name. */
export async function prepareClients(log = () => {}) {
  const hash = await pack(log);
  const dirs = {};
  for (const [name, client] of Object.entries(CLIENTS)) dirs[name] = await install(name, client, hash, log);
  for (const entry of readdirSync(SCRATCH)) {
    if (!(entry in CLIENTS) && entry !== TARBALL) rmSync(join(SCRATCH, entry), { recursive: true, force: true });
  }
  return dirs;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  prepareClients(console.log).then((dirs) => console.log(dirs));
}
