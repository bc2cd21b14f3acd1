import { describe, expect, it } from 'vitest';
import { catchUp, CursorBook, RoomCursor } from '../src/lib/cursor';
import type { EventPage } from '../src/lib/types';
import { msg } from './fakes';

describe('RoomCursor', () => {
  it('releases consecutive events and moves the cursor', () => {
    const c = new RoomCursor(4);
    const r = c.accept([msg(4, 1), msg(4, 2)]);
    expect(r.released.map((e) => e.seq)).toEqual([1, 2]);
    expect(r.gap).toBe(false);
    expect(c.cursor).toBe(2);
  });

  it('drops duplicates by seq (at-least-once pushes)', () => {
    const c = new RoomCursor(4);
    c.accept([msg(4, 1)]);
    expect(c.accept([msg(4, 1), msg(4, 1)]).released).toEqual([]);
    const r = c.accept([msg(4, 2), msg(4, 2)]);
    expect(r.released.map((e) => e.seq)).toEqual([2]);
  });

  it('ignores other rooms', () => {
    const c = new RoomCursor(4);
    expect(c.accept([msg(5, 1)]).released).toEqual([]);
    expect(c.cursor).toBe(0);
  });

  it('holds events above a hole and reports the gap', () => {
    const c = new RoomCursor(4, 10);
    const r = c.accept([msg(4, 12)]);
    expect(r.released).toEqual([]);
    expect(r.gap).toBe(true);
    expect(c.cursor).toBe(10);
    const r2 = c.accept([msg(4, 11)]);
    expect(r2.released.map((e) => e.seq)).toEqual([11, 12]);
    expect(r2.gap).toBe(false);
  });

  it('reset starts later and drops held events below', () => {
    const c = new RoomCursor(4);
    c.accept([msg(4, 5)]);
    c.reset(5);
    expect(c.waiting).toBe(0);
    expect(c.accept([msg(4, 6)]).released.map((e) => e.seq)).toEqual([6]);
  });
});

describe('catchUp', () => {
  it('fills a gap through sync and releases in order, paging', async () => {
    const server = Array.from({ length: 7 }, (_, i) => msg(4, i + 1));
    const calls: number[] = [];
    const sync = async (_room: number, after: number): Promise<EventPage> => {
      calls.push(after);
      const events = server.filter((e) => e.seq > after).slice(0, 2);
      return { events, more: events.length > 0 && events[events.length - 1].seq < 7 };
    };
    const c = new RoomCursor(4, 2);
    c.accept([msg(4, 3)]);
    const push = c.accept([msg(4, 6)]); // 4 and 5 missing
    expect(push.gap).toBe(true);
    const out = await catchUp(c, sync);
    expect(out.map((e) => e.seq)).toEqual([4, 5, 6, 7]);
    expect(calls).toEqual([3, 6]); // 4,5 fill the hole up to the held 6
    expect(c.cursor).toBe(7);
  });

  it('stops when the server has nothing', async () => {
    const c = new RoomCursor(4, 3);
    const out = await catchUp(c, async () => ({ events: [], more: false }));
    expect(out).toEqual([]);
  });
});

describe('CursorBook', () => {
  it('keeps one cursor per room', () => {
    const b = new CursorBook();
    b.get(4).accept([msg(4, 1)]);
    b.get(5, 9);
    expect(b.snapshot()).toEqual({ 4: 1, 5: 9 });
    expect(b.get(4).cursor).toBe(1);
  });
});
