import type { ChatEvent, EventPage } from './types';

export interface AcceptResult {
  /** Events now releasable, in seq order, with no hole below them. */
  released: ChatEvent[];
  /** Events held back above a hole: call `sync` from `cursor`. */
  gap: boolean;
}

/**
 * A room's cursor: the highest seq held with no hole below it. Events are deduplicated by
 * seq (the room is implied), events above a hole wait until the hole is filled, and the
 * caller shows only what is released — never a hole.
 */
export class RoomCursor {
  private held = new Map<number, ChatEvent>();

  constructor(
    readonly roomId: number,
    private pos = 0,
  ) {}

  get cursor(): number {
    return this.pos;
  }

  get waiting(): number {
    return this.held.size;
  }

  /** Starts from a later point (e.g. below the first event of a history page). */
  reset(cursor: number): void {
    this.pos = cursor;
    for (const s of [...this.held.keys()]) if (s <= cursor) this.held.delete(s);
  }

  accept(events: Iterable<ChatEvent>): AcceptResult {
    for (const e of events) {
      if (e.room_id !== this.roomId) continue;
      if (e.seq <= this.pos || this.held.has(e.seq)) continue; // duplicate
      this.held.set(e.seq, e);
    }
    const released: ChatEvent[] = [];
    for (;;) {
      const next = this.held.get(this.pos + 1);
      if (!next) break;
      this.held.delete(next.seq);
      released.push(next);
      this.pos = next.seq;
    }
    return { released, gap: this.held.size > 0 };
  }
}

export type SyncFn = (roomId: number, after: number) => Promise<EventPage>;

/**
 * Pages `sync` from the cursor until the server says no newer events exist (and the held
 * events are reached). Returns everything released, in order.
 */
export async function catchUp(cursor: RoomCursor, sync: SyncFn, maxPages = 1000): Promise<ChatEvent[]> {
  const out: ChatEvent[] = [];
  for (let i = 0; i < maxPages; i++) {
    const before = cursor.cursor;
    const page = await sync(cursor.roomId, before);
    const { released, gap } = cursor.accept(page.events);
    out.push(...released);
    if (!page.more && !gap) break;
    if (cursor.cursor === before && page.events.length === 0) break; // no progress possible
  }
  return out;
}

/** Cursors of every room a device follows. */
export class CursorBook {
  private readonly rooms = new Map<number, RoomCursor>();

  get(roomId: number, initial = 0): RoomCursor {
    let c = this.rooms.get(roomId);
    if (!c) {
      c = new RoomCursor(roomId, initial);
      this.rooms.set(roomId, c);
    }
    return c;
  }

  has(roomId: number): boolean {
    return this.rooms.has(roomId);
  }

  snapshot(): Record<number, number> {
    const o: Record<number, number> = {};
    for (const [r, c] of this.rooms) o[r] = c.cursor;
    return o;
  }
}
