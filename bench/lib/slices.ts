/**
 * The server side of the adapter rows (bench/lib/adapterPairs.ts): one process answers requests in slices of
 * `every` requests, alternating between its no-auth floor and its authenticating handler, and records the
 * process's CPU time per request of each slice. Both handlers thus run under the same conditions (JIT, heap,
 * what else the machine runs at that moment), a few milliseconds apart.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

/** CPU µs per request of each complete slice, in order: floor, auth, floor, auth, … */
export interface SliceCpu {
  floor: number[];
  auth: number[];
}

const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/** Alternates `floor` and `auth` every `every` requests, the first slice after {@link take} being the floor's. */
export class AlternatingSlices {
  private served = 0;
  private auth = false;
  private mark = cpuNow();
  private slices: SliceCpu = { floor: [], auth: [] };

  constructor(private readonly every: number) {}

  /** The handler that alternates: a slice ends when the first request of the next one arrives. */
  handler(floor: Handler, auth: Handler): Handler {
    return (req, res) => {
      if (this.served === this.every) {
        const now = cpuNow();
        (this.auth ? this.slices.auth : this.slices.floor).push((now - this.mark) / this.every);
        this.mark = now;
        this.auth = !this.auth;
        this.served = 0;
      }
      this.served++;
      (this.auth ? auth : floor)(req, res);
    };
  }

  /** The complete slices so far (the one under way is dropped); the next request starts a floor slice. */
  take(): SliceCpu {
    const slices = this.slices;
    this.slices = { floor: [], auth: [] };
    this.served = 0;
    this.auth = false;
    this.mark = cpuNow();
    return slices;
  }
}
