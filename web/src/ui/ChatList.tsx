import { useState } from 'preact/hooks';
import { errorText } from '../i18n';
import { formatListTime, roomTitle } from '../lib/format';
import { ApiError } from '../lib/types';
import { Avatar } from './Avatar';
import { useApp } from './context';

export function ChatList({ selected, onOpen }: { selected: number | null; onOpen: (id: number) => void }) {
  const { client, t, lang } = useApp();
  const me = client.session!.user.id;
  const rooms = client.roomList();
  const [showNew, setShowNew] = useState(false);
  const [title, setTitle] = useState('');
  const [members, setMembers] = useState('');
  const [error, setError] = useState('');

  const create = async (ev: Event) => {
    ev.preventDefault();
    setError('');
    try {
      const names = members.split(/[,\s]+/).map((s) => s.trim()).filter(Boolean);
      const id = await client.createGroup(title.trim(), names);
      setShowNew(false);
      setTitle('');
      setMembers('');
      onOpen(id);
    } catch (e) {
      setError(errorText(t, e instanceof ApiError ? e.code : 'network'));
    }
  };

  return (
    <div class="chat-list">
      <button class="new-group" onClick={() => setShowNew(!showNew)}>
        {t('chats.newGroup')}
      </button>
      {showNew && (
        <form class="inline-form" onSubmit={create}>
          <input placeholder={t('chats.groupTitle')} value={title} onInput={(e) => setTitle(e.currentTarget.value)} required />
          <input placeholder={t('chats.groupMembers')} value={members} onInput={(e) => setMembers(e.currentTarget.value)} />
          {error && <div class="error" role="alert">{error}</div>}
          <button type="submit" class="primary">{t('chats.create')}</button>
        </form>
      )}
      {rooms.length === 0 && <div class="empty">{t('chats.empty')}</div>}
      <ul>
        {rooms.map((v) => {
          const name = roomTitle(v.room, me);
          const last = v.room.last_message;
          const badge = v.badge.count;
          return (
            <li
              key={v.room.id}
              class={`room-item ${selected === v.room.id ? 'selected' : ''}`}
              data-room={v.room.id}
              onClick={() => onOpen(v.room.id)}
            >
              <Avatar name={name} id={v.room.id} />
              <div class="room-text">
                <div class="room-name">
                  <span dir="auto">{name}</span>
                  {v.room.kind === 'group' && <span class="count">{v.room.members.length}</span>}
                </div>
                <div class="room-last" dir="auto">{last ? last.body : t('chats.noMessages')}</div>
              </div>
              <div class="room-meta">
                {last && <div class="time">{formatListTime(last.time, lang)}</div>}
                {badge > 0 && <div class="badge" data-testid="badge">{badge > 999 ? '999+' : badge}</div>}
              </div>
            </li>
          );
        })}
      </ul>
    </div>
  );
}
