import { startDemo } from './app.js';

const port = Number(process.env.PORT ?? 3000);
const demo = await startDemo({ port });

console.log(`Demo running at ${demo.url}  (sign in as ${demo.email})`);
console.log(`Emulated WorkOS API at ${demo.emulatorUrl}; ${demo.email} has password ${demo.password}`);

let closing = false;
const shutdown = (signal: string): void => {
  if (closing) return;
  closing = true;
  console.log(`${signal}: stopping the demo and the emulator`);
  demo.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGTERM', () => shutdown('SIGTERM'));
