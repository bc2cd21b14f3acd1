import type { SocketLike } from '../src/lib/ws';
import type { ChatEvent } from '../src/lib/types';

/** A scripted WebSocket: the test plays the server through `serverSend` and `sent`. */
export class FakeSocket implements SocketLike {
  readyState = 0;
  sent: Record<string, unknown>[] = [];
  closedWith: { code?: number; reason?: string } | null = null;
  onopen: ((ev: unknown) => void) | null = null;
  onmessage: ((ev: { data: unknown }) => void) | null = null;
  onclose: ((ev: { code: number; reason: string }) => void) | null = null;
  onerror: ((ev: unknown) => void) | null = null;

  constructor(readonly url: string) {}

  send(data: string): void {
    this.sent.push(JSON.parse(data));
  }
  close(code?: number, reason?: string): void {
    this.closedWith = { code, reason };
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.({});
  }
  serverSend(obj: unknown): void {
    this.onmessage?.({ data: typeof obj === 'string' ? obj : JSON.stringify(obj) });
  }
  serverClose(code: number, reason = ''): void {
    this.readyState = 3;
    this.onclose?.({ code, reason });
  }
}

export function msg(room: number, seq: number, sender = 1, extra: Partial<ChatEvent> = {}): ChatEvent {
  return {
    room_id: room,
    seq,
    kind: 'message',
    sender,
    subject: 0,
    client_id: `c${room}_${seq}`,
    body: `m${seq}`,
    time: 1764000000000 + seq,
    unread: 0,
    ...extra,
  };
}

export const flush = () => new Promise<void>((r) => setTimeout(r, 0));
