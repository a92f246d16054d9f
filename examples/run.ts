// Runs one of the complete apps against an embedded WorkOS emulator (no account needed):
// `tsx examples/run.ts examples/express/server.ts`. It sets the WORKOS_* variables a real deployment sets, then
// loads the app unchanged.
import { randomBytes } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { startDemoEmulator } from './demo/emulator.js';

const app = process.argv[2];
if (!app) throw new Error('usage: tsx examples/run.ts <app file>');
const port = Number(process.env.PORT ?? 3000);
const emulator = await startDemoEmulator();
Object.assign(process.env, {
  PORT: String(port),
  WORKOS_CLIENT_ID: 'client_example',
  WORKOS_API_KEY: emulator.apiKey,
  WORKOS_REDIRECT_URI: `http://localhost:${port}/callback`,
  WORKOS_COOKIE_PASSWORD: randomBytes(32).toString('base64url'),
  // The emulator instead of api.workos.com.
  WORKOS_API_HOSTNAME: 'localhost',
  WORKOS_API_PORT: String(emulator.port),
  WORKOS_API_HTTPS: 'false',
});
console.log(`Embedded WorkOS emulator at ${emulator.url}; open http://localhost:${port}/ and you are signed in as demo@example.com`);
process.once('SIGINT', () => void emulator.close().then(() => process.exit(0)));
await import(pathToFileURL(app).href);
