import { describe, expect, it } from 'vitest';
import { ReadMarkers, RoomBadge } from '../src/lib/unread';
import { msg } from './fakes';

const ME = 3;
const member = (id: number, read_seq: number, joined_seq = 1) => ({ id, read_seq, joined_seq });

describe('RoomBadge', () => {
  it('starts from the server count and adds pushed messages from others', () => {
    const b = new RoomBadge(ME, { last_seq: 10, unread: 2, members: [member(ME, 8), member(5, 10)] });
    expect(b.count).toBe(2);
    b.onEvent(msg(4, 11, 5));
    b.onEvent(msg(4, 11, 5)); // duplicate push
    b.onEvent(msg(4, 12, ME)); // my own message
    b.onEvent(msg(4, 13, 5, { kind: 'joined' }));
    expect(b.count).toBe(3);
  });

  it('drops to 0 when I read to the latest', () => {
    const b = new RoomBadge(ME, { last_seq: 10, unread: 2, members: [member(ME, 8)] });
    b.onEvent(msg(4, 11, 5));
    b.onMyRead(11);
    expect(b.count).toBe(0);
    expect(b.stale).toBe(false);
    b.onMyRead(9); // never moves back
    expect(b.readSeq).toBe(11);
  });

  it('counts only the pushed messages above a partial read, and asks for a refresh below the base', () => {
    const b = new RoomBadge(ME, { last_seq: 10, unread: 2, members: [member(ME, 8)] });
    b.onEvent(msg(4, 11, 5));
    b.onEvent(msg(4, 12, 5));
    b.onMyRead(11);
    expect(b.count).toBe(1);
    const c = new RoomBadge(ME, { last_seq: 10, unread: 2, members: [member(ME, 8)] });
    c.onMyRead(9);
    expect(c.stale).toBe(true);
    c.refresh({ last_seq: 10, unread: 1, members: [member(ME, 9)] });
    expect(c.count).toBe(1);
    expect(c.stale).toBe(false);
  });
});

describe('ReadMarkers (per-message unread count)', () => {
  it('falls as members of a group read', () => {
    const r = new ReadMarkers([member(1, 5), member(2, 4), member(3, 4)]);
    const m = msg(4, 5, 1, { unread: 2 });
    expect(r.unreadFor(m)).toBe(2);
    expect(r.onRead(2, 5)).toBe(true);
    expect(r.unreadFor(m)).toBe(1);
    expect(r.onRead(2, 5)).toBe(false); // duplicate push
    expect(r.onRead(2, 3)).toBe(false); // never moves back
    expect(r.unreadFor(m)).toBe(1);
    r.onRead(3, 9);
    expect(r.unreadFor(m)).toBe(0);
  });

  it('never rises above the server count and ignores members who joined later', () => {
    const r = new ReadMarkers([member(1, 5), member(2, 0), member(7, 0, 9)]);
    expect(r.unreadFor(msg(4, 5, 1, { unread: 1 }))).toBe(1);
    expect(r.unreadFor(msg(4, 5, 1, { unread: 0 }))).toBe(0);
  });

  it('shows nothing for non-messages', () => {
    const r = new ReadMarkers([member(1, 0), member(2, 0)]);
    expect(r.unreadFor(msg(4, 1, 1, { kind: 'created', unread: 1 }))).toBe(0);
  });

  it('keeps markers that moved when the member list is refreshed with older data', () => {
    const r = new ReadMarkers([member(1, 5), member(2, 0)]);
    r.onRead(2, 5);
    r.setMembers([member(1, 5), member(2, 3)]);
    expect(r.readSeq(2)).toBe(5);
  });
});
