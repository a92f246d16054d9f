// The Fetch app (app.ts) on Node, served by @hono/node-server (`npm install @hono/node-server`).
import { serve } from '@hono/node-server';
import app from './app.js';

const port = Number(process.env.PORT ?? 3000);
serve({ fetch: app.fetch, port }, () => console.log(`Listening on http://localhost:${port}`));
