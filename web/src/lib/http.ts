import { ApiError, type ErrorCode, type NodesResult } from './types';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface HttpOptions {
  fetch?: FetchLike;
  timeoutMs?: number;
}

/** `POST /api/<op>` against one node (docs/protocol.md §2). */
export class HttpApi {
  private readonly fetchFn: FetchLike;
  private readonly timeoutMs: number;

  constructor(
    public base: string,
    public token: string | null = null,
    opts: HttpOptions = {},
  ) {
    this.fetchFn = opts.fetch ?? ((i, init) => globalThis.fetch(i, init));
    this.timeoutMs = opts.timeoutMs ?? 15000;
  }

  async call<T>(op: string, body: object = {}): Promise<T> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json' };
    if (this.token && op !== 'signup' && op !== 'login') headers.Authorization = `Bearer ${this.token}`;
    const ctl = typeof AbortController !== 'undefined' ? new AbortController() : null;
    const timer = setTimeout(() => ctl?.abort(), this.timeoutMs);
    let res: Response;
    try {
      res = await this.fetchFn(`${this.base}/api/${op}`, {
        method: 'POST',
        headers,
        body: JSON.stringify(body),
        signal: ctl?.signal,
      });
    } catch (e) {
      const aborted = ctl?.signal.aborted ?? false;
      throw new ApiError(aborted ? 'timeout' : 'network', String(e));
    } finally {
      clearTimeout(timer);
    }
    return parseResponse<T>(res);
  }

  async nodes(): Promise<NodesResult> {
    let res: Response;
    try {
      res = await this.fetchFn(`${this.base}/api/nodes`, { method: 'GET' });
    } catch (e) {
      throw new ApiError('network', String(e));
    }
    return parseResponse<NodesResult>(res);
  }
}

async function parseResponse<T>(res: Response): Promise<T> {
  let data: unknown = null;
  try {
    data = await res.json();
  } catch {
    data = null;
  }
  if (res.ok && data && typeof data === 'object') return data as T;
  const err = (data as { error?: { code?: string; message?: string } } | null)?.error;
  const code = (err?.code ?? (res.status >= 500 ? 'internal' : 'bad_request')) as ErrorCode;
  throw new ApiError(code, err?.message ?? `HTTP ${res.status}`, res.status);
}

/** http://host:port → ws://host:port/ws (https → wss). */
export function wsUrl(base: string): string {
  return base.replace(/^http/, 'ws').replace(/\/+$/, '') + '/ws';
}
