import { useEffect, useRef, useState } from 'preact/hooks';
import { errorText } from '../i18n';
import { dayKey, formatDay, formatTime, MAX_BODY_BYTES, memberName, roomTitle, utf8Bytes } from '../lib/format';
import type { OutboxEntry } from '../lib/outbox';
import { ApiError, type ChatEvent } from '../lib/types';
import { Avatar } from './Avatar';
import { useApp } from './context';

type Row =
  | { kind: 'day'; key: string; time: number }
  | { kind: 'event'; key: string; e: ChatEvent; first: boolean }
  | { kind: 'outbox'; key: string; o: OutboxEntry };

export function RoomScreen({ roomId, onBack }: { roomId: number; onBack: () => void }) {
  const { client, t, lang } = useApp();
  const me = client.session!.user.id;
  const [text, setText] = useState('');
  const [error, setError] = useState('');
  const [inviting, setInviting] = useState(false);
  const [inviteNames, setInviteNames] = useState('');
  const listRef = useRef<HTMLDivElement>(null);
  const v = client.rooms.get(roomId);

  useEffect(() => {
    client.openRoom(roomId).catch((e) => setError(errorText(t, e instanceof ApiError ? e.code : 'network')));
  }, [client, roomId, t]);

  const lastSeq = v?.events[v.events.length - 1]?.seq ?? 0;
  const pending = client.outbox?.list(roomId) ?? [];
  useEffect(() => {
    if (v?.opened && document.visibilityState !== 'hidden') client.markRead(roomId).catch(() => {});
    const el = listRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [client, roomId, lastSeq, v?.opened, pending.length]);

  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') client.markRead(roomId).catch(() => {});
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [client, roomId]);

  if (!v) return <div class="empty">{t('room.select')}</div>;

  const members = v.room.members;
  const isGroup = v.room.kind === 'group';
  const rows: Row[] = [];
  let prevDay = '';
  let prevSender = -1;
  for (const e of v.events) {
    const d = dayKey(e.time);
    if (d !== prevDay) {
      rows.push({ kind: 'day', key: `d${d}`, time: e.time });
      prevDay = d;
      prevSender = -1;
    }
    rows.push({ kind: 'event', key: `e${e.seq}`, e, first: e.kind === 'message' && e.sender !== prevSender });
    prevSender = e.kind === 'message' ? e.sender : -1;
  }
  const shown = new Set(v.events.map((e) => e.client_id));
  for (const o of pending) if (!shown.has(o.clientId)) rows.push({ kind: 'outbox', key: `o${o.clientId}`, o });

  const send = async () => {
    const body = text;
    if (!body.trim()) return;
    const bytes = utf8Bytes(body);
    if (bytes > MAX_BODY_BYTES) {
      setError(t('room.tooLong', { bytes, max: MAX_BODY_BYTES }));
      return;
    }
    setError('');
    setText('');
    await client.send(roomId, body);
  };

  const showError = (e: unknown) => setError(errorText(t, e instanceof ApiError ? e.code : 'network'));
  const invite = async (ev: Event) => {
    ev.preventDefault();
    try {
      await client.invite(roomId, inviteNames.split(/[,\s]+/).filter(Boolean));
      setInviteNames('');
      setInviting(false);
    } catch (e) {
      showError(e);
    }
  };
  const leave = async () => {
    if (!window.confirm(t('room.leaveConfirm'))) return;
    try {
      await client.leave(roomId);
      onBack();
    } catch (e) {
      showError(e);
    }
  };

  const systemText = (e: ChatEvent) => {
    const name = memberName(members, e.kind === 'created' ? e.sender : e.subject || e.sender, client.names);
    return e.kind === 'joined' ? t('room.joined', { name }) : e.kind === 'left' ? t('room.left', { name }) : t('room.created', { name });
  };

  return (
    <section class="room" data-room-screen={roomId}>
      <header class="room-head">
        <button class="back" onClick={onBack} aria-label={t('room.back')}>
          ‹
        </button>
        <div class="room-head-title" dir="auto">
          {roomTitle(v.room, me)}
        </div>
        {isGroup && <span class="count">{t('room.members', { count: members.length })}</span>}
        <span class="grow" />
        {isGroup && (
          <button class="link" data-action="invite" onClick={() => setInviting(!inviting)}>
            {t('room.invite')}
          </button>
        )}
        <button class="link" data-action="leave" onClick={() => void leave()}>
          {t('room.leave')}
        </button>
      </header>
      {inviting && (
        <form class="inline-form invite" onSubmit={invite}>
          <input
            name="invite"
            placeholder={t('room.invitePlaceholder')}
            value={inviteNames}
            onInput={(e) => setInviteNames(e.currentTarget.value)}
            required
          />
          <button type="submit" class="primary">{t('room.invite')}</button>
        </form>
      )}
      <div class="messages" ref={listRef}>
        {v.more && v.events.length > 0 && (
          <div class="older">
            <button class="link" onClick={() => void client.loadOlder(roomId).catch(() => {})}>
              {t('room.older')}
            </button>
          </div>
        )}
        {rows.map((r) => {
          if (r.kind === 'day')
            return (
              <div key={r.key} class="day-sep">
                <span>{formatDay(r.time, lang)}</span>
              </div>
            );
          if (r.kind === 'outbox') {
            const o = r.o;
            return (
              <div key={r.key} class="msg mine" data-client-id={o.clientId}>
                <div class="meta">
                  {o.state === 'failed' ? (
                    <span class="failed">
                      {t('room.failed')}{o.error ? ` · ${errorText(t, o.error)}` : ''}{' '}
                      <button class="link" onClick={() => void client.retry(o.clientId)}>{t('room.retry')}</button>
                      <button class="link" onClick={() => void client.outbox?.discard(o.clientId)}>{t('room.discard')}</button>
                    </span>
                  ) : (
                    <span class="sending" data-status="sending">{t('room.sending')}</span>
                  )}
                </div>
                <div class="bubble" dir="auto">{o.body}</div>
              </div>
            );
          }
          const e = r.e;
          if (e.kind !== 'message')
            return (
              <div key={r.key} class="system" dir="auto">
                {systemText(e)}
              </div>
            );
          const mine = e.sender === me;
          const unread = v.markers.unreadFor(e);
          const name = memberName(members, e.sender, client.names);
          return (
            <div key={r.key} class={`msg ${mine ? 'mine' : 'theirs'} ${r.first ? 'first' : ''}`} data-seq={e.seq}>
              {!mine && (r.first ? <Avatar name={name} id={e.sender} /> : <div class="avatar-space" />)}
              <div class="msg-col">
                {!mine && r.first && (
                  <div class="sender" dir="auto">
                    {name}
                  </div>
                )}
                <div class="msg-row">
                  <div class="bubble" dir="auto">{e.body}</div>
                  <div class="meta">
                    {unread > 0 && <span class="unread" data-testid="msg-unread">{unread}</span>}
                    {mine && <span class="safe" title={t('room.safe')} aria-label={t('room.safe')} data-status="safe">✓</span>}
                    <span class="time">{formatTime(e.time, lang)}</span>
                  </div>
                </div>
              </div>
            </div>
          );
        })}
      </div>
      {error && <div class="error" role="alert">{error}</div>}
      <form
        class="composer"
        onSubmit={(ev) => {
          ev.preventDefault();
          void send();
        }}
      >
        <textarea
          name="body"
          rows={1}
          placeholder={t('room.placeholder')}
          value={text}
          onInput={(e) => setText(e.currentTarget.value)}
          onKeyDown={(e) => {
            // Enter sends; Shift+Enter is a new line; never while a Korean IME is composing.
            if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
              e.preventDefault();
              void send();
            }
          }}
        />
        <button type="submit" class="primary" disabled={!text.trim()}>
          {t('room.send')}
        </button>
      </form>
    </section>
  );
}
