// The runtime row of `npm run bench` for workerd (bench/runtimes.ts), bundled the way Wrangler would: one
// workload step per request, `POST {"step": "init", "input": …}` first, then `{"step": "prepare" |
// "firstSight" | "repeated", "library": "ours" | "anchor"}`. The clock inside workerd does not move while a
// request computes, so the caller times each request.
import { createWorkload } from './workload.mjs';

let workload;

export default {
  async fetch(request) {
    if (request.method !== 'POST') return new Response('POST a step as JSON', { status: 405 });
    const { step, library, input } = await request.json();
    if (step === 'init') {
      workload = createWorkload(input);
      return Response.json({ calls: 0, failures: 0 });
    }
    return Response.json(await workload[step](library));
  },
};
