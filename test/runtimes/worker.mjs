// Entry for workerd (bundled by scripts/test-runtimes.ts): POST the orchestrator's input as JSON, get the
// checks' results back as JSON.
import { runChecks } from './checks.mjs';

export default {
  async fetch(request) {
    if (request.method !== 'POST') return new Response('POST the input as JSON', { status: 405 });
    return Response.json(await runChecks(await request.json()));
  },
};
