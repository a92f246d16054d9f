import { fork, type ChildProcess } from 'node:child_process';

/** A message from a worker: a reply to a request (same `id`), or a notice (no `id`). */
export interface WorkerMessage {
  id?: number;
  type: string;
  [field: string]: unknown;
}

/**
 * A Node process running a TypeScript worker script (`node --import tsx script.ts`), driven over IPC:
 * `request` sends a command and resolves with the reply carrying the same id; notices go to `onNotice`.
 */
export class WorkerProcess {
  readonly child: ChildProcess;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (m: WorkerMessage) => void; reject: (e: Error) => void }>();
  onNotice: (message: WorkerMessage) => void = () => undefined;
  readonly exited: Promise<void>;
  /** Why the worker died, when it said so (a `crash` notice) before exiting. */
  private crash = '';

  constructor(script: string) {
    this.child = fork(script, [], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (raw) => {
      const message = raw as WorkerMessage;
      const waiter = message.id !== undefined ? this.pending.get(message.id) : undefined;
      if (message.type === 'crash') this.crash = String(message.message);
      if (!waiter) return this.onNotice(message);
      this.pending.delete(message.id as number);
      if (message.type === 'error') waiter.reject(new Error(String(message.message)));
      else waiter.resolve(message);
    });
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        const reason = `worker exited (code ${code}, signal ${signal})${this.crash ? `: ${this.crash}` : ''}`;
        for (const waiter of this.pending.values()) waiter.reject(new Error(reason));
        this.pending.clear();
        resolve();
      });
    });
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  request<T extends WorkerMessage = WorkerMessage>(command: object): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      if (!this.alive) return reject(new Error('worker exited'));
      this.pending.set(id, { resolve: resolve as (m: WorkerMessage) => void, reject });
      this.child.send({ ...command, id });
    });
  }

  /** SIGKILL: the process dies at once, holding whatever lease it held. */
  async kill(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL');
    await this.exited;
  }

  async stop(): Promise<void> {
    if (this.alive) this.child.send({ type: 'exit' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 2_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/**
 * For a worker script: an uncaught exception or unhandled rejection is sent to the parent as a `crash`
 * notice before the process exits, so the test that loses the worker says why.
 */
export function reportCrashes(): void {
  const crash = (error: unknown) => {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    process.stderr.write(`worker ${process.pid} crashed: ${message}\n`);
    if (process.send) process.send({ type: 'crash', message }, () => process.exit(1));
    else process.exit(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
}

/** Starts `count` workers and waits until each answers `ping`. */
export async function startWorkers(script: string, count: number): Promise<WorkerProcess[]> {
  const workers = Array.from({ length: count }, () => new WorkerProcess(script));
  await Promise.all(workers.map((w) => w.request({ type: 'ping' })));
  return workers;
}
