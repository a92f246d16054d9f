/**
 * `npm run test:docs`: keeps README.md honest. Builds the package, then
 * - every TypeScript block marked `<!-- example: PATH -->` must be byte-for-byte the file PATH (the complete apps);
 * - every TypeScript block is type-checked against the built package (imported by its name, as a user imports
 *   it) with the types a user on Node has: `@types/node`, no DOM library;
 * - every `npm run NAME` in the README names a script of package.json.
 * Exits non-zero on the first kind of failure it finds, listing each problem.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { extractBlocks } from './docs/blocks.js';

const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const problems: string[] = [];

const blocks = extractBlocks(readme);
const typescript = blocks.filter((block) => block.lang === 'ts' || block.lang === 'typescript');
const out = join(root, '.docs-check');
rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });

let examples = 0;
for (const [index, block] of typescript.entries()) {
  if (block.file) {
    examples += 1;
    const actual = readFileSync(join(root, block.file), 'utf8');
    if (actual !== block.code)
      problems.push(`README line ${block.line}: the block differs from ${block.file}; copy the file into the README`);
  }
  // Example files keep their paths (they import each other); the others get one module each.
  const target = join(out, block.file ?? `readme-line-${block.line}-${index}.ts`);
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, block.code);
}

const scripts = Object.keys((JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts);
const referenced = new Set([...readme.matchAll(/npm run ([a-z][\w:-]*)/g)].map((match) => match[1] as string));
for (const name of referenced) if (!scripts.includes(name)) problems.push(`README mentions \`npm run ${name}\`, which package.json lacks`);

if (problems.length === 0) {
  execFileSync('npm', ['run', 'build', '--silent'], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  writeFileSync(
    join(out, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2023'], // no DOM: Request, Response and fetch come from @types/node, as in a user's Node project
        types: ['node'],
        strict: true,
        noEmit: true,
        // Our own declarations are checked too; other packages' (e.g. the WorkOS SDK's) may name DOM types.
        skipLibCheck: false,
      },
      include: ['**/*.ts'],
    }),
  );
  let output = '';
  try {
    execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', join(out, 'tsconfig.json')], { cwd: root, encoding: 'utf8' });
  } catch (error) {
    output = (error as { stdout?: string }).stdout ?? String(error);
  }
  const ours = output.split('\n').filter((line) => /^(\.docs-check|dist)\//.test(line));
  if (ours.length > 0 || (output !== '' && !/error TS/.test(output))) {
    problems.push(`type errors in README blocks (files under .docs-check/ are named by README line) or dist/:\n${ours.join('\n') || output}`);
  }
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
rmSync(out, { recursive: true, force: true });
console.log(
  `README: ${typescript.length} TypeScript blocks type-check against the built package (${examples} are the examples/ files, unchanged); ` +
    `${referenced.size} npm scripts it names exist.`,
);
