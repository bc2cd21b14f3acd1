/**
 * Reconnection: jittered exponential back-off over every node the cluster lists
 * (`GET /api/nodes`; a single node lists itself).
 */

export interface BackoffOptions {
  baseMs?: number;
  capMs?: number;
}

/** "Equal jitter": half the exponential step fixed, half random; never 0, never above cap. */
export function backoffDelay(attempt: number, rand: () => number = Math.random, opts: BackoffOptions = {}): number {
  const base = opts.baseMs ?? 500;
  const cap = opts.capMs ?? 30000;
  const step = Math.min(cap, base * 2 ** Math.min(attempt, 30));
  return Math.round(step / 2 + rand() * (step / 2));
}

/** A rotating list of node base URLs; the one that answered last is tried first. */
export class NodeList {
  private nodes: string[];
  private index = 0;

  constructor(initial: string[]) {
    this.nodes = dedup(initial.map(normalize));
    if (this.nodes.length === 0) throw new Error('no nodes');
  }

  get all(): readonly string[] {
    return this.nodes;
  }

  get current(): string {
    return this.nodes[this.index % this.nodes.length];
  }

  /** Moves on to the next node (after a failure or a reply timeout). */
  advance(): string {
    this.index = (this.index + 1) % this.nodes.length;
    return this.current;
  }

  /** Replaces the list with the server's, keeping the current node when still listed. */
  update(nodes: string[]): void {
    const cur = this.current;
    const next = dedup(nodes.map(normalize));
    if (next.length === 0) return;
    this.nodes = next;
    const i = next.indexOf(cur);
    this.index = i >= 0 ? i : 0;
  }
}

function normalize(u: string): string {
  return u.replace(/\/+$/, '');
}

function dedup(a: string[]): string[] {
  return [...new Set(a)];
}

export interface ReconnectorDeps<C> {
  nodes: NodeList;
  /** Opens a connection to one node; rejects when it cannot. */
  connect: (node: string) => Promise<C>;
  sleep?: (ms: number) => Promise<void>;
  rand?: () => number;
  backoff?: BackoffOptions;
  onState?: (s: { state: 'connecting' | 'connected' | 'waiting' | 'stopped'; node: string; attempt: number; delayMs?: number }) => void;
}

/**
 * Keeps trying nodes in turn until one connects: every failure moves to the next node and
 * waits a jittered back-off that grows with consecutive failures.
 */
export class Reconnector<C> {
  private stopped = false;
  private wake: (() => void) | null = null;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly d: ReconnectorDeps<C>) {
    this.sleep =
      d.sleep ??
      ((ms) =>
        new Promise<void>((r) => {
          const t = setTimeout(r, ms);
          this.wake = () => {
            clearTimeout(t);
            r();
          };
        }));
  }

  /** Resolves with the first connection made, or null once stopped. */
  async run(): Promise<C | null> {
    let attempt = 0;
    while (!this.stopped) {
      const node = this.d.nodes.current;
      this.d.onState?.({ state: 'connecting', node, attempt });
      try {
        const c = await this.d.connect(node);
        if (this.stopped) return null;
        this.d.onState?.({ state: 'connected', node, attempt });
        return c;
      } catch {
        if (this.stopped) break;
        this.d.nodes.advance();
        const delayMs = backoffDelay(attempt, this.d.rand, this.d.backoff);
        this.d.onState?.({ state: 'waiting', node: this.d.nodes.current, attempt, delayMs });
        attempt++;
        await this.sleep(delayMs);
      }
    }
    this.d.onState?.({ state: 'stopped', node: this.d.nodes.current, attempt });
    return null;
  }

  /** Skips the current wait (e.g. the browser came back online). */
  poke(): void {
    this.wake?.();
  }

  stop(): void {
    this.stopped = true;
    this.wake?.();
  }
}
