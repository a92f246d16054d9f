// Entry for Node, Bun and Deno: reads the orchestrator's input from AUTHKIT_RUNTIME_INPUT (JSON), runs the
// checks, prints one JSON line. `process.env` is the one runtime-specific thing here (Deno 2 and Bun have it).
import { runChecks } from './checks.mjs';

const input = JSON.parse(process.env.AUTHKIT_RUNTIME_INPUT ?? '{}');
console.log(JSON.stringify(await runChecks(input)));
