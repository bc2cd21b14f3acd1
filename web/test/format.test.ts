import { describe, expect, it } from 'vitest';
import { dayKey, initial, roomTitle, utf8Bytes } from '../src/lib/format';

const m = (id: number, name: string, display_name: string) => ({ id, name, display_name, joined_seq: 1, read_seq: 0 });

describe('format', () => {
  it('counts UTF-8 bytes like the server', () => {
    expect(utf8Bytes('abc')).toBe(3);
    expect(utf8Bytes('안녕')).toBe(6);
    expect(utf8Bytes('😀')).toBe(4);
  });
  it('names a 1:1 room after the other member and a group by its title', () => {
    expect(roomTitle({ kind: 'direct', title: '', members: [m(3, 'minji', '민지'), m(5, 'jun', '준')] }, 3)).toBe('준');
    expect(roomTitle({ kind: 'group', title: '우리', members: [m(3, 'minji', '민지')] }, 3)).toBe('우리');
  });
  it('takes a whole first character for avatars', () => {
    expect(initial('😀 hi')).toBe('😀');
    expect(initial('minji')).toBe('M');
  });
  it('keys days', () => {
    expect(dayKey(new Date(2026, 0, 2, 23).getTime())).toBe('2026-1-2');
  });
});
