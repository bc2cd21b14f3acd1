import { ApiError, type ErrorCode, type Push } from './types';

/** The part of the browser WebSocket that we use (so tests can pass a fake). */
export interface SocketLike {
  readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
}

export type SocketFactory = (url: string) => SocketLike;

export interface WsOptions {
  /** Reply timeout for a request; the caller resends (same ids) elsewhere after it. */
  requestTimeoutMs?: number;
  /** Time allowed for open + auth_ok. */
  authTimeoutMs?: number;
  onPush?: (push: Push) => void;
  onClose?: (code: number, reason: string) => void;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: ApiError) => void;
  timer: ReturnType<typeof setTimeout>;
}

export interface AuthOk {
  user_id: number;
  device_id: number;
}

/**
 * One authenticated WebSocket (docs/protocol.md §3): the token goes in the first frame,
 * requests carry a `rid` and replies are matched by it, in any order; frames without a
 * `rid` are pushes.
 */
export class WsConnection {
  private nextRid = 1;
  private readonly pending = new Map<number, Pending>();
  private closed = false;
  private readonly requestTimeoutMs: number;

  private constructor(
    private readonly sock: SocketLike,
    private readonly opts: WsOptions,
    readonly auth: AuthOk,
  ) {
    this.requestTimeoutMs = opts.requestTimeoutMs ?? 10000;
  }

  /** Opens the socket, authenticates, and resolves once `auth_ok` arrives. */
  static connect(url: string, token: string, factory: SocketFactory, opts: WsOptions = {}): Promise<WsConnection> {
    return new Promise((resolve, reject) => {
      let sock: SocketLike;
      try {
        sock = factory(url);
      } catch (e) {
        reject(new ApiError('network', String(e)));
        return;
      }
      let done = false;
      const fail = (code: ErrorCode, msg: string, status = 0) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        try {
          sock.close();
        } catch {
          /* already closed */
        }
        reject(new ApiError(code, msg, status));
      };
      const timer = setTimeout(() => fail('timeout', 'no auth_ok in time'), opts.authTimeoutMs ?? 10000);
      sock.onopen = () => sock.send(JSON.stringify({ op: 'auth', token }));
      sock.onerror = () => fail('network', 'socket error');
      sock.onclose = (ev) => {
        // 1008: token refused; 1013: node cannot check it now (try again or another node).
        if (ev.code === 1008) fail('unauthorized', ev.reason || 'unauthorized', ev.code);
        else if (ev.code === 1013) fail('store_unavailable', ev.reason || 'try again later', ev.code);
        else fail('closed', `closed ${ev.code} ${ev.reason}`, ev.code);
      };
      sock.onmessage = (ev) => {
        const msg = parse(ev.data);
        if (!msg) return;
        if (msg.type === 'auth_ok') {
          if (done) return;
          done = true;
          clearTimeout(timer);
          const conn = new WsConnection(sock, opts, {
            user_id: Number(msg.user_id),
            device_id: Number(msg.device_id),
          });
          conn.attach();
          resolve(conn);
        } else if (msg.type === 'error') {
          const err = msg.error as { code?: ErrorCode; message?: string } | undefined;
          fail(err?.code ?? 'unauthorized', err?.message ?? 'auth failed');
        }
      };
    });
  }

  private attach(): void {
    this.sock.onmessage = (ev) => this.onFrame(ev.data);
    this.sock.onerror = () => {};
    this.sock.onclose = (ev) => this.onClosed(ev.code, ev.reason);
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  /** Sends `{op, rid, ...fields}`; resolves with `result` or rejects with an ApiError. */
  request<T>(op: string, fields: object = {}): Promise<T> {
    if (this.closed) return Promise.reject(new ApiError('closed', 'socket closed'));
    const rid = this.nextRid++;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (this.pending.delete(rid)) reject(new ApiError('timeout', `no reply to ${op}`));
      }, this.requestTimeoutMs);
      this.pending.set(rid, { resolve: resolve as (v: unknown) => void, reject, timer });
      try {
        this.sock.send(JSON.stringify({ ...fields, op, rid }));
      } catch (e) {
        clearTimeout(timer);
        this.pending.delete(rid);
        reject(new ApiError('closed', String(e)));
      }
    });
  }

  close(): void {
    if (this.closed) return;
    try {
      this.sock.close(1000, 'bye');
    } catch {
      /* ignore */
    }
    this.onClosed(1000, 'closed by client');
  }

  private onFrame(data: unknown): void {
    const msg = parse(data);
    if (!msg) return;
    if (msg.rid !== undefined && msg.rid !== null) {
      const rid = Number(msg.rid);
      const p = this.pending.get(rid);
      if (!p) return; // late reply after a timeout: the caller already retried.
      this.pending.delete(rid);
      clearTimeout(p.timer);
      if (msg.type === 'result') p.resolve(msg.result);
      else {
        const err = msg.error as { code?: ErrorCode; message?: string } | undefined;
        p.reject(new ApiError(err?.code ?? 'internal', err?.message ?? 'error'));
      }
      return;
    }
    if (msg.type === 'event' || msg.type === 'read') {
      this.opts.onPush?.(msg as unknown as Push);
    }
  }

  private onClosed(code: number, reason: string): void {
    if (this.closed) return;
    this.closed = true;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new ApiError('closed', `socket closed (${code})`));
    }
    this.pending.clear();
    this.opts.onClose?.(code, reason);
  }
}

function parse(data: unknown): Record<string, unknown> | null {
  if (typeof data !== 'string') return null;
  try {
    const v = JSON.parse(data);
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}
