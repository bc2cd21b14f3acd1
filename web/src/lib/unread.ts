import type { ChatEvent, Member } from './types';

/** What the badge needs of a room. */
export interface BadgeRoom {
  last_seq: number;
  unread: number;
  members: Pick<Member, 'id' | 'read_seq'>[];
}

/**
 * The room badge: messages from others above my read marker.
 *
 * The server's `room.unread` counts up to `room.last_seq` (the base); messages pushed after
 * that are counted here one by one. When my marker moves to or past the base the base
 * count drops to 0; a marker below the base leaves it unknown, so `stale` asks the caller
 * to fetch the room again (`rooms.get`).
 */
export class RoomBadge {
  private baseSeq: number;
  private baseCount: number;
  private myRead: number;
  private readonly above = new Set<number>();
  stale = false;

  constructor(
    readonly me: number,
    room: BadgeRoom,
  ) {
    this.baseSeq = room.last_seq;
    this.baseCount = room.unread;
    this.myRead = room.members.find((m) => m.id === me)?.read_seq ?? 0;
  }

  get count(): number {
    return this.baseCount + this.above.size;
  }

  get readSeq(): number {
    return this.myRead;
  }

  /** A fresh room object from the server replaces what we know. */
  refresh(room: BadgeRoom): void {
    this.baseSeq = room.last_seq;
    this.baseCount = room.unread;
    this.myRead = Math.max(this.myRead, room.members.find((m) => m.id === this.me)?.read_seq ?? 0);
    for (const s of [...this.above]) if (s <= this.baseSeq || s <= this.myRead) this.above.delete(s);
    this.stale = false;
  }

  onEvent(e: ChatEvent): void {
    if (e.kind !== 'message' || e.sender === this.me) return;
    if (e.seq <= this.baseSeq || e.seq <= this.myRead) return;
    this.above.add(e.seq);
  }

  /** My read marker moved (my own `read` result, or a `read` push from another device). */
  onMyRead(seq: number): void {
    if (seq <= this.myRead) return;
    this.myRead = seq;
    for (const s of [...this.above]) if (s <= seq) this.above.delete(s);
    if (seq >= this.baseSeq) this.baseCount = 0;
    else if (this.baseCount > 0) this.stale = true;
  }
}

/**
 * Per-message unread counts (KakaoTalk's small number beside a bubble): members other than
 * the sender, present at the message, whose read marker is below its seq. The count from
 * the server is an upper bound taken when the event was fetched or pushed; read pushes
 * move members' markers forward (never back) and the shown count is the smaller of the two.
 */
export class ReadMarkers {
  private readonly members = new Map<number, { joined: number; read: number }>();

  constructor(members: Pick<Member, 'id' | 'joined_seq' | 'read_seq'>[] = []) {
    this.setMembers(members);
  }

  setMembers(members: Pick<Member, 'id' | 'joined_seq' | 'read_seq'>[]): void {
    const old = new Map(this.members);
    this.members.clear();
    for (const m of members) {
      const prev = old.get(m.id)?.read ?? 0;
      this.members.set(m.id, { joined: m.joined_seq, read: Math.max(prev, m.read_seq) });
    }
  }

  /** Applies a `read` push; returns true when a marker moved. */
  onRead(userId: number, seq: number): boolean {
    const m = this.members.get(userId);
    if (!m) {
      this.members.set(userId, { joined: 0, read: seq });
      return true;
    }
    if (seq <= m.read) return false;
    m.read = seq;
    return true;
  }

  readSeq(userId: number): number {
    return this.members.get(userId)?.read ?? 0;
  }

  /** Number to show beside a message bubble (0 shows nothing). */
  unreadFor(e: Pick<ChatEvent, 'kind' | 'seq' | 'sender' | 'unread'>): number {
    if (e.kind !== 'message') return 0;
    let n = 0;
    for (const [id, m] of this.members) {
      if (id === e.sender) continue;
      if (m.joined > e.seq) continue;
      if (m.read < e.seq) n++;
    }
    return Math.max(0, Math.min(e.unread, n));
  }
}
