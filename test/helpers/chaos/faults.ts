import { isRefreshGrant, type Fault, type FaultProxy, type FaultRule } from '../faultProxy.js';
import type { Rng } from './rng.js';

type Request = { method: string; path: string; body: string };

/** The random faults injected into WorkOS calls, by kind. */
export const FAULT_KINDS = ['429', '500', '502', '503', 'timeout', 'reset'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

/** Every attempt to spend one refresh token at WorkOS, in order. */
interface TokenAttempts {
  forwarded: number[];
  faulted: number;
}

/**
 * Random faults on a fraction of the WorkOS calls the servers make (not the browser's hosted sign-in page),
 * through the fault proxy's rules, and a ledger of refresh-token spends: a token forwarded to WorkOS twice
 * is a double spend (the second is refused), a faulted attempt never reached WorkOS.
 */
export class WorkOSFaults {
  readonly injected: Record<FaultKind, number> = { '429': 0, '500': 0, '502': 0, '503': 0, timeout: 0, reset: 0 };
  calls = 0;
  private readonly decisions = new WeakMap<Request, FaultKind | null>();
  private readonly tokens = new Map<string, TokenAttempts>();

  constructor(
    private readonly rng: Rng,
    private readonly rate: number,
    private readonly clock: () => number,
  ) {}

  install(proxy: FaultProxy): void {
    proxy.rules = FAULT_KINDS.map((kind): FaultRule => ({ match: (request) => this.decide(request) === kind, fault: faultFor(kind) }));
  }

  /** Refresh tokens forwarded to WorkOS more than once: when each extra spend happened. */
  doubleSpends(): number[] {
    const times: number[] = [];
    for (const attempts of this.tokens.values()) times.push(...attempts.forwarded.slice(1));
    return times;
  }

  /** Attempts that a fault answered (each forces one retry, now or on the next request). */
  faultedRefreshes(): number {
    let n = 0;
    for (const attempts of this.tokens.values()) n += attempts.faulted;
    return n;
  }

  /** Distinct refresh tokens forwarded to WorkOS. */
  spentTokens(): number {
    let n = 0;
    for (const attempts of this.tokens.values()) if (attempts.forwarded.length > 0) n += 1;
    return n;
  }

  private decide(request: Request): FaultKind | null {
    const known = this.decisions.get(request);
    if (known !== undefined) return known;
    let kind: FaultKind | null = null;
    if (!request.path.startsWith('/user_management/authorize')) {
      this.calls += 1;
      if (this.rng.next() < this.rate) {
        kind = this.rng.pick(FAULT_KINDS);
        this.injected[kind] += 1;
      }
    }
    this.decisions.set(request, kind);
    if (isRefreshGrant(request)) this.record(request.body, kind !== null);
    return kind;
  }

  private record(body: string, faulted: boolean): void {
    const token = refreshTokenOf(body);
    if (!token) return;
    const attempts = this.tokens.get(token) ?? { forwarded: [], faulted: 0 };
    if (faulted) attempts.faulted += 1;
    else attempts.forwarded.push(this.clock());
    this.tokens.set(token, attempts);
  }
}

function faultFor(kind: FaultKind): Fault {
  switch (kind) {
    case '429':
      return { kind: 'status', status: 429, retryAfter: 1, body: { message: 'Too Many Requests', code: 'rate_limit_exceeded' } };
    case 'timeout':
      return { kind: 'hang' };
    case 'reset':
      return { kind: 'reset' };
    default:
      return { kind: 'status', status: Number(kind) };
  }
}

function refreshTokenOf(body: string): string | undefined {
  try {
    const parsed = JSON.parse(body) as { refresh_token?: unknown };
    if (typeof parsed.refresh_token === 'string') return parsed.refresh_token;
  } catch {
    // not JSON: a form body
  }
  return new URLSearchParams(body).get('refresh_token') ?? undefined;
}
