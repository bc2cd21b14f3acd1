import { newClientId } from './ids';
import { ApiError, isRetriable, type SendResult } from './types';

/** One message the user typed that the server has not acknowledged yet. */
export interface OutboxEntry {
  /** Account key (the user id as a string): several accounts may share one browser. */
  account: string;
  clientId: string;
  roomId: number;
  body: string;
  /** Local order of enqueueing: first-in first-out per room. */
  order: number;
  createdAt: number;
  state: 'pending' | 'failed';
  /** Error code when state is 'failed' (a permanent refusal such as field_too_long). */
  error?: string;
}

/** Where outbox entries live. Each write must be durable before it resolves. */
export interface OutboxStore {
  list(account: string): Promise<OutboxEntry[]>;
  put(entry: OutboxEntry): Promise<void>;
  delete(account: string, clientId: string): Promise<void>;
}

/** For unit tests and for browsers without IndexedDB. */
export class MemoryOutboxStore implements OutboxStore {
  private readonly rows = new Map<string, OutboxEntry>();
  async list(account: string): Promise<OutboxEntry[]> {
    return [...this.rows.values()].filter((e) => e.account === account).map((e) => ({ ...e }));
  }
  async put(entry: OutboxEntry): Promise<void> {
    this.rows.set(`${entry.account}\u0000${entry.clientId}`, { ...entry });
  }
  async delete(account: string, clientId: string): Promise<void> {
    this.rows.delete(`${account}\u0000${clientId}`);
  }
}

const DB_NAME = 'haetae';
const STORE = 'outbox';

/**
 * IndexedDB outbox: key [account, clientId], index on account. Every write uses a
 * `durability: 'strict'` transaction and resolves on its `complete` event, so an entry is on
 * disk before the message is sent.
 */
export class IdbOutboxStore implements OutboxStore {
  private dbp: Promise<IDBDatabase> | null = null;

  constructor(private readonly idb: IDBFactory = globalThis.indexedDB) {}

  private db(): Promise<IDBDatabase> {
    if (!this.dbp) {
      this.dbp = new Promise((resolve, reject) => {
        const req = this.idb.open(DB_NAME, 1);
        req.onupgradeneeded = () => {
          const os = req.result.createObjectStore(STORE, { keyPath: ['account', 'clientId'] });
          os.createIndex('account', 'account');
        };
        req.onsuccess = () => resolve(req.result);
        req.onerror = () => reject(req.error);
      });
    }
    return this.dbp;
  }

  private async tx<T>(mode: IDBTransactionMode, fn: (os: IDBObjectStore) => IDBRequest<T>): Promise<T> {
    const db = await this.db();
    return new Promise<T>((resolve, reject) => {
      const t = db.transaction(STORE, mode, { durability: 'strict' });
      const req = fn(t.objectStore(STORE));
      t.oncomplete = () => resolve(req.result);
      t.onerror = () => reject(t.error);
      t.onabort = () => reject(t.error ?? new Error('transaction aborted'));
    });
  }

  async list(account: string): Promise<OutboxEntry[]> {
    return this.tx('readonly', (os) => os.index('account').getAll(account) as IDBRequest<OutboxEntry[]>);
  }
  async put(entry: OutboxEntry): Promise<void> {
    await this.tx('readwrite', (os) => os.put(entry));
  }
  async delete(account: string, clientId: string): Promise<void> {
    await this.tx('readwrite', (os) => os.delete([account, clientId]));
  }
}

export type SendFn = (entry: OutboxEntry) => Promise<SendResult>;

export interface OutboxListener {
  /** The set of entries changed (enqueued, failed, retried, discarded or acknowledged). */
  changed?(): void;
  /** The server acknowledged (durably stored) this entry. */
  acked?(entry: OutboxEntry, result: SendResult): void;
}

/**
 * First-in first-out per room: only a room's oldest pending entry is in flight, so a room's
 * messages get seqs in typing order. A resend always carries the same client id, so the
 * server stores it once. Retriable failures leave the entry pending for the next `flush`;
 * permanent ones mark it failed (the user may retry or discard it) and the room moves on.
 */
export class Outbox {
  private entries: OutboxEntry[] = [];
  private seqCounter = 0;
  private readonly busyRooms = new Set<number>();

  constructor(
    private readonly store: OutboxStore,
    readonly account: string,
    private readonly listener: OutboxListener = {},
    private readonly newId: () => string = () => newClientId(),
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** Loads what a previous page left behind. */
  async load(): Promise<void> {
    this.entries = (await this.store.list(this.account)).sort((a, b) => a.order - b.order);
    this.seqCounter = this.entries.reduce((m, e) => Math.max(m, e.order), 0);
    this.listener.changed?.();
  }

  /** Commits the entry to the store; resolves only after that. */
  async enqueue(roomId: number, body: string): Promise<OutboxEntry> {
    const entry: OutboxEntry = {
      account: this.account,
      clientId: this.newId(),
      roomId,
      body,
      order: Math.max(++this.seqCounter, this.now()),
      createdAt: this.now(),
      state: 'pending',
    };
    this.seqCounter = entry.order;
    await this.store.put(entry);
    this.entries.push(entry);
    this.listener.changed?.();
    return entry;
  }

  /** Entries of a room (or all), oldest first. */
  list(roomId?: number): OutboxEntry[] {
    return this.entries.filter((e) => roomId === undefined || e.roomId === roomId);
  }

  get pendingCount(): number {
    return this.entries.filter((e) => e.state === 'pending').length;
  }

  /**
   * Sends every room's pending entries, one at a time per room, rooms in parallel.
   * Resolves true when nothing pending is left, false when a retriable failure stopped a room.
   */
  async flush(send: SendFn): Promise<boolean> {
    const rooms = [...new Set(this.entries.filter((e) => e.state === 'pending').map((e) => e.roomId))];
    const results = await Promise.all(rooms.map((r) => this.flushRoom(r, send)));
    return results.every(Boolean);
  }

  private async flushRoom(roomId: number, send: SendFn): Promise<boolean> {
    // Already being flushed: that loop re-reads the room's head, so it takes new entries too.
    if (this.busyRooms.has(roomId)) return true;
    this.busyRooms.add(roomId);
    try {
      for (;;) {
        const head = this.entries.find((e) => e.roomId === roomId && e.state === 'pending');
        if (!head) return true;
        let result: SendResult;
        try {
          result = await send(head);
        } catch (err) {
          if (isRetriable(err)) return false;
          head.state = 'failed';
          head.error = err instanceof ApiError ? err.code : 'internal';
          await this.store.put(head);
          this.listener.changed?.();
          continue;
        }
        await this.store.delete(this.account, head.clientId);
        this.entries = this.entries.filter((e) => e !== head);
        this.listener.acked?.(head, result);
        this.listener.changed?.();
      }
    } finally {
      this.busyRooms.delete(roomId);
    }
  }

  /** A failed entry goes back to pending, keeping its client id and its place. */
  async retry(clientId: string): Promise<void> {
    const e = this.entries.find((x) => x.clientId === clientId);
    if (!e || e.state !== 'failed') return;
    e.state = 'pending';
    delete e.error;
    await this.store.put(e);
    this.listener.changed?.();
  }

  async discard(clientId: string): Promise<void> {
    const e = this.entries.find((x) => x.clientId === clientId);
    if (!e) return;
    await this.store.delete(this.account, clientId);
    this.entries = this.entries.filter((x) => x !== e);
    this.listener.changed?.();
  }
}
