import { useEffect, useState } from 'preact/hooks';
import { errorText } from '../i18n';
import { ApiError } from '../lib/types';
import { Avatar } from './Avatar';
import { useApp } from './context';

export function FriendsList({ onOpen }: { onOpen: (roomId: number) => void }) {
  const { client, t } = useApp();
  const me = client.session!.user;
  const [name, setName] = useState('');
  const [error, setError] = useState('');
  const [editing, setEditing] = useState(false);
  const [display, setDisplay] = useState('');
  useEffect(() => {
    client.refreshFriends().catch(() => {});
  }, [client]);

  const add = async (ev: Event) => {
    ev.preventDefault();
    setError('');
    try {
      await client.addFriend(name.trim());
      setName('');
    } catch (e) {
      setError(errorText(t, e instanceof ApiError ? e.code : 'network'));
    }
  };
  const saveProfile = async (ev: Event) => {
    ev.preventDefault();
    setError('');
    try {
      await client.updateProfile(display.trim());
      setEditing(false);
    } catch (e) {
      setError(errorText(t, e instanceof ApiError ? e.code : 'network'));
    }
  };
  const chat = async (friendName: string) => {
    try {
      onOpen(await client.directRoom(friendName));
    } catch (e) {
      setError(errorText(t, e instanceof ApiError ? e.code : 'network'));
    }
  };

  return (
    <div class="friends">
      <div class="section-title">{t('friends.me')}</div>
      <div class="friend me">
        <Avatar name={me.display_name || me.name} id={me.id} />
        <div class="grow">
          <div class="friend-name" dir="auto">{me.display_name || me.name}</div>
          <div class="friend-id">@{me.name}</div>
        </div>
        {!editing && (
          <button class="link" data-action="edit-profile" onClick={() => { setDisplay(me.display_name); setEditing(true); }}>
            {t('profile.edit')}
          </button>
        )}
      </div>
      {editing && (
        <form class="inline-form" onSubmit={saveProfile}>
          <input
            name="display_name"
            placeholder={t('auth.displayName')}
            value={display}
            onInput={(e) => setDisplay(e.currentTarget.value)}
            required
          />
          <button type="submit" class="primary">{t('profile.save')}</button>
          <button type="button" class="link" onClick={() => setEditing(false)}>{t('profile.cancel')}</button>
        </form>
      )}
      <form class="inline-form" onSubmit={add}>
        <input
          name="friend"
          placeholder={t('friends.addPlaceholder')}
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          required
        />
        <button type="submit" class="primary">{t('friends.add')}</button>
      </form>
      {error && <div class="error" role="alert">{error}</div>}
      <div class="section-title">{t('nav.friends')} {client.friends.length}</div>
      {client.friends.length === 0 && <div class="empty">{t('friends.empty')}</div>}
      <ul>
        {client.friends.map((f) => (
          <li key={f.id} class="friend" data-friend={f.name} onClick={() => f.state === 'friend' && void chat(f.name)}>
            <Avatar name={f.display_name || f.name} id={f.id} />
            <div>
              <div class="friend-name" dir="auto">{f.display_name || f.name}</div>
              <div class="friend-id">@{f.name}{f.state === 'blocked' ? ` · ${t('friends.blocked')}` : ''}</div>
            </div>
          </li>
        ))}
      </ul>
    </div>
  );
}
