import { startDemo } from './app.js';

const port = Number(process.env.PORT ?? 3000);
const demo = await startDemo({ port });

console.log(`Demo running at ${demo.url}  (sign in as ${demo.email})`);
console.log(`Emulated WorkOS API at ${demo.emulatorUrl}; ${demo.email} has password ${demo.password}`);

/** Stops once, on the first of SIGINT or SIGTERM; both listeners go, so a second signal ends the process at once. */
const shutdown = (signal: NodeJS.Signals): void => {
  process.off('SIGINT', shutdown);
  process.off('SIGTERM', shutdown);
  console.log(`${signal}: stopping the demo and the emulator`);
  demo.close().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
