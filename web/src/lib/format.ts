import type { Member, Room } from './types';

export const MAX_BODY_BYTES = 16384;

export function utf8Bytes(s: string): number {
  return new TextEncoder().encode(s).length;
}

/** The name a room is shown under: a group's title, or the other member of a 1:1 room. */
export function roomTitle(room: Pick<Room, 'kind' | 'title' | 'members'>, me: number): string {
  if (room.kind === 'group' && room.title) return room.title;
  const others = room.members.filter((m) => m.id !== me);
  if (others.length === 0) return room.title || (room.members[0]?.display_name ?? '');
  return others.map((m) => m.display_name || m.name).join(', ');
}

export function memberName(
  members: Pick<Member, 'id' | 'name' | 'display_name'>[],
  id: number,
  known?: ReadonlyMap<number, string>,
): string {
  const m = members.find((x) => x.id === id);
  return m ? m.display_name || m.name : (known?.get(id) ?? `#${id}`);
}

/** Local calendar day of a timestamp, for date separators. */
export function dayKey(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${d.getMonth() + 1}-${d.getDate()}`;
}

export function formatTime(ms: number, lang: string): string {
  return new Date(ms).toLocaleTimeString(lang, { hour: 'numeric', minute: '2-digit' });
}

export function formatDay(ms: number, lang: string): string {
  return new Date(ms).toLocaleDateString(lang, { year: 'numeric', month: 'long', day: 'numeric', weekday: 'long' });
}

/** Chat list time: the time today, the date otherwise. */
export function formatListTime(ms: number, lang: string, now = Date.now()): string {
  return dayKey(ms) === dayKey(now)
    ? formatTime(ms, lang)
    : new Date(ms).toLocaleDateString(lang, { month: 'short', day: 'numeric' });
}

/** The one initial on an avatar. */
export function initial(name: string): string {
  return Array.from(name.trim())[0]?.toUpperCase() ?? '?';
}
