import { describe, expect, it } from 'vitest';
import { ChatClient } from '../src/lib/client';
import { MemoryOutboxStore } from '../src/lib/outbox';
import type { ChatEvent, Room } from '../src/lib/types';
import { FakeSocket } from './fakes';

/** A tiny in-memory haetae: enough of §4 for the client's flows. */
class FakeServer {
  events: ChatEvent[] = [];
  sends: { client_id: string; node: string }[] = [];
  sockets: FakeSocket[] = [];
  left = false;
  /** Nodes that store a `send` but never answer it (the reply is lost). */
  silent = new Set<string>();
  readSeq = new Map<number, number>([
    [3, 1],
    [5, 1],
  ]);

  constructor(readonly nodes: string[]) {
    this.events.push(ev(1, 3, 'created'));
  }

  room(): Room {
    const last = this.events[this.events.length - 1];
    const lastMsg = [...this.events].reverse().find((e) => e.kind === 'message') ?? null;
    return {
      id: 4,
      kind: 'direct',
      title: '',
      members: [
        { id: 3, name: 'minji', display_name: '민지', joined_seq: 1, read_seq: this.readSeq.get(3)! },
        { id: 5, name: 'jun', display_name: '준', joined_seq: 1, read_seq: this.readSeq.get(5)! },
      ],
      last_seq: last.seq,
      last_message: lastMsg,
      unread: this.events.filter((e) => e.kind === 'message' && e.sender !== 3 && e.seq > this.readSeq.get(3)!).length,
      left: false,
      change: last.seq,
    };
  }

  /** Stores a message from jun without pushing it. */
  addFromJun(body: string): ChatEvent {
    const e = ev(this.events.length + 1, 5, 'message', body);
    this.events.push(e);
    return e;
  }

  /** Ops that fail once with the given error code before working. */
  failOnce = new Map<string, string>();

  handle(op: string, f: Record<string, unknown>, node: string): unknown {
    const code = this.failOnce.get(op);
    if (code) {
      this.failOnce.delete(op);
      throw Object.assign(new Error(code), { code });
    }
    switch (op) {
      case 'login':
        return { token: 'tok', device_id: 12, user: { id: 3, name: 'minji', display_name: '민지' } };
      case 'changes':
        return Number(f.since) >= this.events.length ? { rooms: [], next: f.since, more: false } : { rooms: [this.room()], next: this.events.length, more: false };
      case 'rooms.get':
        return { room: this.room() };
      case 'history': {
        const before = f.before === undefined ? Infinity : Number(f.before);
        const below = this.events.filter((e) => e.seq < before);
        const limit = Number(f.limit ?? 100);
        return { events: below.slice(-limit), more: below.length > limit };
      }
      case 'rooms.leave':
        this.left = true;
        return {};
      case 'profile.update':
        return { user: { id: 3, name: 'minji', display_name: String(f.display_name) } };
      case 'sync': {
        const after = Number(f.after);
        return { events: this.events.filter((e) => e.seq > after), more: false };
      }
      case 'send': {
        this.sends.push({ client_id: String(f.client_id), node });
        const dup = this.events.find((e) => e.client_id === f.client_id);
        if (dup) return { room_id: 4, seq: dup.seq, time: dup.time, duplicate: true };
        const e = ev(this.events.length + 1, 3, 'message', String(f.body), String(f.client_id));
        this.events.push(e);
        return { room_id: 4, seq: e.seq, time: e.time, duplicate: false };
      }
      case 'read':
        this.readSeq.set(3, Math.max(this.readSeq.get(3)!, Number(f.seq)));
        return { room_id: 4, seq: this.readSeq.get(3) };
      default:
        throw new Error(`fake server: ${op}`);
    }
  }

  fetch = async (url: string, init?: RequestInit): Promise<Response> => {
    const u = new URL(url);
    if (u.pathname === '/api/nodes') return json({ nodes: this.nodes, self: u.origin });
    const op = u.pathname.replace('/api/', '');
    return json(this.handle(op, JSON.parse(String(init?.body ?? '{}')), u.origin));
  };

  socket = (url: string) => {
    const s = new FakeSocket(url);
    const node = url.replace(/^ws/, 'http').replace(/\/ws$/, '');
    this.sockets.push(s);
    const origSend = s.send.bind(s);
    s.send = (data: string) => {
      origSend(data);
      const m = JSON.parse(data);
      queueMicrotask(() => {
        if (m.op === 'auth') s.serverSend({ type: 'auth_ok', user_id: 3, device_id: 12 });
        else if (this.silent.has(node) && m.op === 'send') this.handle(m.op, m, node); // stored, reply lost
        else {
          try {
            s.serverSend({ type: 'result', rid: m.rid, result: this.handle(m.op, m, node) });
          } catch (e) {
            s.serverSend({ type: 'error', rid: m.rid, error: { code: (e as { code: string }).code, message: 'x' } });
          }
        }
      });
    };
    const origClose = s.close.bind(s);
    s.close = (code?: number, reason?: string) => {
      origClose(code, reason);
      queueMicrotask(() => s.onclose?.({ code: code ?? 1000, reason: reason ?? '' }));
    };
    queueMicrotask(() => s.open());
    return s;
  };

  push(e: ChatEvent): void {
    for (const s of this.sockets) if (s.readyState === 1) s.serverSend({ type: 'event', event: e });
  }
}

function ev(seq: number, sender: number, kind: ChatEvent['kind'], body = '', client_id = `s${seq}`): ChatEvent {
  return { room_id: 4, seq, kind, sender, subject: 0, client_id, body, time: 1764000000000 + seq, unread: sender === 3 ? 1 : 0 };
}

function json(o: unknown): Response {
  return new Response(JSON.stringify(o), { status: 200, headers: { 'Content-Type': 'application/json' } });
}

async function until(cond: () => boolean, ms = 2000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 2));
  }
}

function makeClient(server: FakeServer, extra = {}) {
  const store = new Map<string, string>();
  return new ChatClient({
    origin: server.nodes[0],
    fetch: server.fetch,
    socket: server.socket,
    outboxStore: new MemoryOutboxStore(),
    storage: {
      getItem: (k) => store.get(k) ?? null,
      setItem: (k, v) => void store.set(k, v),
      removeItem: (k) => void store.delete(k),
    },
    sleep: async () => {},
    rand: () => 0,
    ...extra,
  });
}

describe('ChatClient against a fake server', () => {
  it('logs in, connects, learns rooms through changes, badge from the server', async () => {
    const server = new FakeServer(['http://a', 'http://b']);
    server.addFromJun('안녕');
    const c = makeClient(server);
    await c.login('minji', 'pw12345678');
    await until(() => c.rooms.has(4));
    expect(c.connState).toMatchObject({ state: 'connected', node: 'http://a' });
    expect(c.nodes.all).toEqual(['http://a', 'http://b']);
    expect(c.rooms.get(4)!.badge.count).toBe(1);
    c.stop();
  });

  it('syncs a gap before showing a pushed event, and marks read', async () => {
    const server = new FakeServer(['http://a']);
    const c = makeClient(server);
    await c.login('minji', 'pw12345678');
    await until(() => c.rooms.has(4));
    const v = (await c.openRoom(4))!;
    expect(v.events.map((e) => e.seq)).toEqual([1]);
    server.addFromJun('one');
    const two = server.addFromJun('two');
    server.push(two); // seq 3 while we hold 1
    server.push(two); // duplicate push
    await until(() => v.events.length === 3);
    expect(v.events.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(v.badge.count).toBe(2);
    await c.markRead(4);
    expect(v.badge.count).toBe(0);
    expect(server.readSeq.get(3)).toBe(3);
    c.stop();
  });

  it('resends with the same client id through another node when a reply never comes', async () => {
    const server = new FakeServer(['http://a', 'http://b']);
    server.silent.add('http://a');
    const c = makeClient(server, { requestTimeoutMs: 50 });
    await c.login('minji', 'pw12345678');
    await until(() => c.rooms.has(4));
    expect(c.connState).toMatchObject({ state: 'connected', node: 'http://a' });
    const entry = await c.send(4, '안녕하세요');
    await until(() => c.outbox!.pendingCount === 0);
    expect(c.connState).toMatchObject({ state: 'connected', node: 'http://b' });
    expect(server.sends).toEqual([
      { client_id: entry.clientId, node: 'http://a' },
      { client_id: entry.clientId, node: 'http://b' },
    ]);
    expect(server.events.filter((e) => e.client_id === entry.clientId)).toHaveLength(1);
    c.stop();
  });

  it('opens a room on its latest page and loads older history on demand', async () => {
    const server = new FakeServer(['http://a']);
    for (let i = 0; i < 150; i++) server.addFromJun(`m${i}`);
    const c = makeClient(server);
    await c.login('minji', 'pw12345678');
    await until(() => c.rooms.has(4));
    const v = (await c.openRoom(4))!;
    expect(v.events.map((e) => e.seq)).toEqual(Array.from({ length: 100 }, (_, i) => 52 + i));
    expect(v.more).toBe(true);
    expect(c.cursors.get(4).cursor).toBe(151);
    await c.loadOlder(4);
    expect(v.events.map((e) => e.seq)).toEqual(Array.from({ length: 151 }, (_, i) => 1 + i));
    expect(v.more).toBe(false);
    c.stop();
  });

  it('updates the profile and leaves a room', async () => {
    const server = new FakeServer(['http://a']);
    const c = makeClient(server);
    await c.login('minji', 'pw12345678');
    await until(() => c.rooms.has(4));
    await c.updateProfile('민지2');
    expect(c.session!.user.display_name).toBe('민지2');
    await c.leave(4);
    expect(server.left).toBe(true);
    expect(c.rooms.has(4)).toBe(false);
    c.stop();
  });

  it('retries the catch-up when the store is briefly unavailable', async () => {
    const server = new FakeServer(['http://a']);
    server.failOnce.set('changes', 'store_unavailable');
    const c = makeClient(server);
    await c.login('minji', 'pw12345678');
    await until(() => c.rooms.has(4));
    c.stop();
  });

  it('goes back to the log-in screen when the token stops working', async () => {
    const server = new FakeServer(['http://a']);
    const c = makeClient(server);
    await c.login('minji', 'pw12345678');
    await until(() => c.rooms.has(4));
    server.failOnce.set('rooms.get', 'unauthorized');
    await expect(c.call('rooms.get', { room_id: 4 })).rejects.toMatchObject({ code: 'unauthorized' });
    expect(c.session).toBeNull();
    expect(c.connState.state).toBe('offline');
  });

  it('keeps a message typed while disconnected and delivers it once on reconnect', async () => {
    const server = new FakeServer(['http://a']);
    const c = makeClient(server);
    await c.login('minji', 'pw12345678');
    await until(() => c.rooms.has(4));
    c.stop();
    const e = await c.outbox!.enqueue(4, 'offline');
    expect(c.outbox!.pendingCount).toBe(1);
    await c.start();
    await until(() => c.outbox!.pendingCount === 0);
    expect(server.events.filter((x) => x.client_id === e.clientId)).toHaveLength(1);
    c.stop();
  });
});
