import { catchUp, CursorBook } from './cursor';
import { HttpApi, wsUrl, type FetchLike } from './http';
import { newClientId } from './ids';
import { IdbOutboxStore, MemoryOutboxStore, Outbox, type OutboxEntry, type OutboxStore } from './outbox';
import { backoffDelay, NodeList, Reconnector } from './reconnect';
import {
  ApiError,
  isRetriable,
  type ChangesPage,
  type ChatEvent,
  type EventPage,
  type Friend,
  type Push,
  type Room,
  type SendResult,
  type User,
} from './types';
import { ReadMarkers, RoomBadge } from './unread';
import { WsConnection, type SocketFactory } from './ws';

export interface Session {
  token: string;
  user: User;
  deviceId: number;
}

export type ConnState =
  | { state: 'offline' }
  | { state: 'connecting' | 'connected'; node: string }
  | { state: 'waiting'; node: string; delayMs: number };

export interface RoomView {
  room: Room;
  badge: RoomBadge;
  markers: ReadMarkers;
  /** Released events, ascending, no hole (only once the room was opened). */
  events: ChatEvent[];
  opened: boolean;
  /** Older history exists above `events`. */
  more: boolean;
}

type StorageLike = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'>;

export interface ClientDeps {
  /** The node that served the page; the first one tried. */
  origin: string;
  fetch?: FetchLike;
  socket?: SocketFactory;
  outboxStore?: OutboxStore;
  storage?: StorageLike;
  requestTimeoutMs?: number;
  sleep?: (ms: number) => Promise<void>;
  rand?: () => number;
  /**
   * Adopt the node list of `/api/nodes` (default). Off only behind a development proxy,
   * where the page's origin is not one of the nodes.
   */
  followNodeList?: boolean;
}

const SESSION_KEY = 'haetae.session';

/**
 * The client's state: session, connection, rooms, timelines, badges and outbox. Screens
 * read it and subscribe to changes; nothing here touches the DOM.
 */
export class ChatClient {
  session: Session | null = null;
  conn: WsConnection | null = null;
  connState: ConnState = { state: 'offline' };
  readonly nodes: NodeList;
  readonly rooms = new Map<number, RoomView>();
  readonly cursors = new CursorBook();
  outbox: Outbox | null = null;
  friends: Friend[] = [];
  /** Names of every user seen in a room or the friends list (members who left keep theirs). */
  readonly names = new Map<number, string>();
  private changeCursor = 0;
  private running = false;
  private reconnector: Reconnector<WsConnection> | null = null;
  private readonly listeners = new Set<() => void>();
  private flushFailures = 0;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly deps: Required<Pick<ClientDeps, 'origin'>> & ClientDeps;

  constructor(deps: ClientDeps) {
    this.deps = deps;
    this.nodes = new NodeList([deps.origin]);
    const saved = deps.storage?.getItem(SESSION_KEY);
    if (saved) {
      try {
        const s = JSON.parse(saved) as Session & { nodes?: string[] };
        if (s.token && s.user) this.session = { token: s.token, user: s.user, deviceId: s.deviceId };
        if (s.nodes?.length && deps.followNodeList !== false) this.nodes.update([deps.origin, ...s.nodes]);
      } catch {
        /* ignore a corrupt entry */
      }
    }
  }

  subscribe(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(): void {
    for (const fn of this.listeners) fn();
  }

  private http(): HttpApi {
    return new HttpApi(this.nodes.current, this.session?.token ?? null, { fetch: this.deps.fetch });
  }

  /** An op over the socket when it is up, otherwise over HTTP to the current node. */
  async call<T>(op: string, fields: object = {}): Promise<T> {
    try {
      if (this.conn?.isOpen) return await this.request<T>(this.conn, op, fields);
      return await this.http().call<T>(op, fields);
    } catch (err) {
      // The token stopped working (logged out everywhere): back to the log-in screen.
      if (err instanceof ApiError && err.code === 'unauthorized' && this.session) this.endSession();
      throw err;
    }
  }

  /**
   * A request on one socket. No answer in time on a socket that looks alive: leave this node
   * (the reconnect loop goes on with the next one); the caller retries with the same ids.
   */
  private async request<T>(conn: WsConnection, op: string, fields: object): Promise<T> {
    try {
      return await conn.request<T>(op, fields);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'timeout' && conn.isOpen) {
        this.nodes.advance();
        conn.close();
      }
      throw err;
    }
  }

  // ---- account ----

  async signup(name: string, password: string, displayName?: string): Promise<void> {
    const body: Record<string, string> = { name, password };
    if (displayName) body.display_name = displayName;
    await this.http().call('signup', body);
    await this.login(name, password);
  }

  async login(name: string, password: string): Promise<void> {
    const r = await this.http().call<{ token: string; device_id: number; user: User }>('login', {
      name,
      password,
      device: 'web',
    });
    this.session = { token: r.token, user: r.user, deviceId: r.device_id };
    this.save();
    await this.start();
  }

  async logout(): Promise<void> {
    try {
      await this.call('logout');
    } catch {
      /* the token is dropped locally either way */
    }
    this.endSession();
  }

  private endSession(): void {
    this.stop();
    this.session = null;
    this.rooms.clear();
    this.friends = [];
    this.changeCursor = 0;
    this.deps.storage?.removeItem(SESSION_KEY);
    this.emit();
  }

  private save(): void {
    if (!this.session) return;
    this.deps.storage?.setItem(SESSION_KEY, JSON.stringify({ ...this.session, nodes: this.nodes.all }));
  }

  // ---- connection ----

  async start(): Promise<void> {
    if (!this.session || this.running) return;
    this.running = true;
    const store =
      this.deps.outboxStore ??
      (typeof indexedDB !== 'undefined' ? new IdbOutboxStore() : new MemoryOutboxStore());
    this.outbox = new Outbox(store, String(this.session.user.id), {
      changed: () => this.emit(),
      acked: (e, r) => this.onAcked(e, r),
    });
    await this.outbox.load();
    void this.connectLoop();
  }

  /** Skips the current back-off wait (the browser came back online, the tab was shown). */
  poke(): void {
    this.reconnector?.poke();
  }

  stop(): void {
    this.running = false;
    this.reconnector?.stop();
    this.conn?.close();
    this.conn = null;
    if (this.flushTimer) clearTimeout(this.flushTimer);
    this.connState = { state: 'offline' };
  }

  private async connectLoop(): Promise<void> {
    while (this.running && this.session) {
      const token = this.session.token;
      let closed!: () => void;
      const closedP = new Promise<void>((r) => (closed = r));
      this.reconnector = new Reconnector<WsConnection>({
        nodes: this.nodes,
        sleep: this.deps.sleep,
        rand: this.deps.rand,
        backoff: { baseMs: 500, capMs: 10000 },
        connect: async (node) => {
          try {
            return await WsConnection.connect(wsUrl(node), token, this.socketFactory(), {
              requestTimeoutMs: this.deps.requestTimeoutMs,
              onPush: (p) => this.onPush(p),
              onClose: () => closed(),
            });
          } catch (e) {
            if (e instanceof ApiError && e.code === 'unauthorized') {
              queueMicrotask(() => this.endSession());
            }
            throw e;
          }
        },
        onState: (s) => {
          if (s.state === 'waiting') this.connState = { state: 'waiting', node: s.node, delayMs: s.delayMs ?? 0 };
          else if (s.state === 'connecting' || s.state === 'connected') this.connState = { state: s.state, node: s.node };
          this.emit();
        },
      });
      const conn = await this.reconnector.run();
      if (!conn) return;
      this.conn = conn;
      this.emit();
      try {
        await this.onConnected();
      } catch {
        /* a failure here shows up as a closed socket or a later retry */
      }
      await closedP;
      this.conn = null;
      if (!this.running) return;
      this.connState = { state: 'connecting', node: this.nodes.current };
      this.emit();
    }
  }

  private socketFactory(): SocketFactory {
    return this.deps.socket ?? ((url) => new WebSocket(url) as unknown as ReturnType<SocketFactory>);
  }

  /** Runs on every (re)connect: learn the nodes, catch up on changes, flush the outbox. */
  private async onConnected(): Promise<void> {
    try {
      if (this.deps.followNodeList !== false) {
        const n = await this.http().nodes();
        this.nodes.update(n.nodes);
        this.save();
      }
    } catch {
      /* keep the list we have */
    }
    // The outbox does not wait for the catch-up: typed messages go out first.
    void this.flushOutbox().catch(() => {});
    const conn = this.conn;
    for (let attempt = 0; conn?.isOpen && this.conn === conn; attempt++) {
      try {
        await this.catchUpChanges();
        return;
      } catch (err) {
        if (!isRetriable(err)) throw err;
        // e.g. store_unavailable: the same node may answer shortly; a timeout closed the socket.
        await (this.deps.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms))))(
          backoffDelay(attempt, this.deps.rand, { capMs: 10000 }),
        );
      }
    }
  }

  private async catchUpChanges(): Promise<void> {
    for (let i = 0; i < 1000; i++) {
      const page = await this.call<ChangesPage>('changes', { since: this.changeCursor });
      for (const room of page.rooms) await this.upsertRoom(room);
      this.changeCursor = page.next;
      if (!page.more) break;
    }
    this.emit();
  }

  private async upsertRoom(room: Room): Promise<void> {
    if (room.left) {
      this.rooms.delete(room.id);
      return;
    }
    const me = this.session!.user.id;
    for (const m of room.members) this.names.set(m.id, m.display_name || m.name);
    const v = this.rooms.get(room.id);
    if (!v) {
      this.rooms.set(room.id, {
        room,
        badge: new RoomBadge(me, room),
        markers: new ReadMarkers(room.members),
        events: [],
        opened: false,
        more: true,
      });
      return;
    }
    v.room = room;
    v.badge.refresh(room);
    v.markers.setMembers(room.members);
    if (v.opened) this.release(v, await catchUp(this.cursors.get(room.id), (r, a) => this.sync(r, a)));
  }

  private sync(roomId: number, after: number): Promise<EventPage> {
    return this.call<EventPage>('sync', { room_id: roomId, after, limit: 200 });
  }

  private release(v: RoomView, events: ChatEvent[]): void {
    for (const e of events) {
      v.events.push(e);
      v.badge.onEvent(e);
      if (e.seq > v.room.last_seq) {
        v.room.last_seq = e.seq;
        if (e.kind === 'message') v.room.last_message = e;
      }
    }
  }

  private onPush(p: Push): void {
    this.handlePush(p)
      .catch(() => {
        /* e.g. a push about a room we just left; the next reconnect resyncs anyway */
      })
      .finally(() => this.emit());
  }

  private async handlePush(p: Push): Promise<void> {
    const v = this.rooms.get(p.type === 'event' ? p.event.room_id : p.room_id);
    if (!v) {
      // A room we have not seen yet (a new 1:1 or an invitation): fetch it.
      const id = p.type === 'event' ? p.event.room_id : p.room_id;
      const r = await this.call<{ room: Room }>('rooms.get', { room_id: id });
      await this.upsertRoom(r.room);
      return;
    }
    if (p.type === 'read') {
      v.markers.onRead(p.user_id, p.seq);
      if (p.user_id === this.session?.user.id) {
        v.badge.onMyRead(p.seq);
        if (v.badge.stale) await this.refreshRoom(v.room.id);
      }
      return;
    }
    const e = p.event;
    if (!v.opened) {
      if (e.seq > v.room.last_seq) {
        v.room.last_seq = e.seq;
        if (e.kind === 'message') v.room.last_message = e;
        v.badge.onEvent(e);
      }
      if (e.kind !== 'message') await this.refreshRoom(v.room.id); // members changed
      return;
    }
    const cursor = this.cursors.get(v.room.id);
    const { released, gap } = cursor.accept([e]);
    this.release(v, released);
    if (gap) this.release(v, await catchUp(cursor, (r, a) => this.sync(r, a)));
    if (released.some((x) => x.kind !== 'message')) await this.refreshRoom(v.room.id);
  }

  private async refreshRoom(roomId: number): Promise<void> {
    const r = await this.call<{ room: Room }>('rooms.get', { room_id: roomId });
    await this.upsertRoom(r.room);
  }

  // ---- rooms ----

  /** Rooms, newest activity first. */
  roomList(): RoomView[] {
    const t = (v: RoomView) => v.room.last_message?.time ?? 0;
    return [...this.rooms.values()].sort((a, b) => t(b) - t(a) || b.room.id - a.room.id);
  }

  async openRoom(roomId: number): Promise<RoomView | undefined> {
    const v = this.rooms.get(roomId);
    if (!v) return undefined;
    if (!v.opened) {
      const page = await this.call<EventPage>('history', { room_id: roomId, limit: 100 });
      const cursor = this.cursors.get(roomId);
      if (page.events.length) cursor.reset(page.events[0].seq - 1);
      v.events = [];
      v.opened = true;
      v.more = page.more;
      const released = cursor.accept(page.events).released;
      for (const e of released) v.events.push(e);
      this.release(v, await catchUp(cursor, (r, a) => this.sync(r, a)));
      this.emit();
    }
    return v;
  }

  /** Moves my read marker to the newest event shown. */
  async markRead(roomId: number): Promise<void> {
    const v = this.rooms.get(roomId);
    if (!v?.opened) return;
    const seq = this.cursors.get(roomId).cursor;
    if (seq <= v.badge.readSeq && v.badge.count === 0) return;
    const r = await this.call<{ room_id: number; seq: number }>('read', { room_id: roomId, seq });
    v.badge.onMyRead(r.seq);
    v.markers.onRead(this.session!.user.id, r.seq);
    this.emit();
  }

  async refreshFriends(): Promise<Friend[]> {
    this.friends = (await this.call<{ friends: Friend[] }>('friends.list')).friends;
    for (const f of this.friends) this.names.set(f.id, f.display_name || f.name);
    this.emit();
    return this.friends;
  }

  async addFriend(name: string): Promise<void> {
    await this.call('friends.add', { name });
    await this.refreshFriends();
  }

  async directRoom(name: string): Promise<number> {
    const r = await this.call<{ room: Room }>('rooms.direct', { name });
    await this.upsertRoom(r.room);
    this.emit();
    return r.room.id;
  }

  async createGroup(title: string, members: string[]): Promise<number> {
    const r = await this.call<{ room: Room }>('rooms.create', { client_id: newClientId(), title, members });
    await this.upsertRoom(r.room);
    this.emit();
    return r.room.id;
  }

  async updateProfile(displayName: string): Promise<void> {
    const r = await this.call<{ user: User }>('profile.update', { display_name: displayName });
    if (this.session) this.session.user = r.user;
    this.save();
    this.emit();
  }

  async invite(roomId: number, names: string[]): Promise<void> {
    const r = await this.call<{ room: Room }>('rooms.invite', { room_id: roomId, members: names });
    await this.upsertRoom(r.room);
    this.emit();
  }

  async leave(roomId: number): Promise<void> {
    await this.call('rooms.leave', { room_id: roomId });
    this.rooms.delete(roomId);
    this.emit();
  }

  /** Prepends the page of history below the oldest event shown. */
  async loadOlder(roomId: number): Promise<void> {
    const v = this.rooms.get(roomId);
    if (!v?.opened || !v.more || v.events.length === 0) return;
    const page = await this.call<EventPage>('history', { room_id: roomId, before: v.events[0].seq, limit: 100 });
    const first = v.events[0].seq;
    v.events = [...page.events.filter((e) => e.seq < first), ...v.events];
    v.more = page.more;
    this.emit();
  }

  // ---- sending ----

  /** Commits the message to the outbox, then sends it; returns the outbox entry. */
  async send(roomId: number, body: string): Promise<OutboxEntry> {
    const e = await this.outbox!.enqueue(roomId, body);
    void this.flushOutbox().catch(() => {});
    return e;
  }

  async retry(clientId: string): Promise<void> {
    await this.outbox?.retry(clientId);
    void this.flushOutbox().catch(() => {});
  }

  async flushOutbox(): Promise<boolean> {
    if (!this.outbox || !this.conn?.isOpen) return false;
    const conn = this.conn;
    // The same connection for the whole flush: a timeout closes it, and the outbox resends
    // the same client id through the next node once the reconnect loop has one.
    const ok = await this.outbox.flush((e) =>
      this.request<SendResult>(conn, 'send', { room_id: e.roomId, client_id: e.clientId, body: e.body }),
    );
    if (!ok && this.outbox.pendingCount > 0 && this.conn?.isOpen) {
      const delay = backoffDelay(this.flushFailures++, this.deps.rand);
      if (this.flushTimer) clearTimeout(this.flushTimer);
      this.flushTimer = setTimeout(() => void this.flushOutbox().catch(() => {}), delay);
    } else if (ok) this.flushFailures = 0;
    return ok;
  }

  private onAcked(e: OutboxEntry, r: SendResult): void {
    const v = this.rooms.get(e.roomId);
    if (!v) return;
    const ev: ChatEvent = {
      room_id: r.room_id,
      seq: r.seq,
      kind: 'message',
      sender: this.session!.user.id,
      subject: 0,
      client_id: e.clientId,
      body: e.body,
      time: r.time,
      unread: Math.max(0, v.room.members.length - 1),
    };
    if (v.opened) {
      const cursor = this.cursors.get(e.roomId);
      const { released, gap } = cursor.accept([ev]);
      this.release(v, released);
      if (gap) void catchUp(cursor, (a, b) => this.sync(a, b)).then((x) => {
        this.release(v, x);
        this.emit();
      });
    } else if (r.seq > v.room.last_seq) {
      v.room.last_seq = r.seq;
      v.room.last_message = ev;
    }
  }

  /** Whether an error means "try again later" rather than "this will never work". */
  static retriable(err: unknown): boolean {
    return isRetriable(err);
  }
}
