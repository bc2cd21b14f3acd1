import { useEffect, useMemo, useState } from 'preact/hooks';
import { pickLang, translator, type Lang } from '../i18n';
import type { ChatClient } from '../lib/client';
import { AuthScreen } from './AuthScreen';
import { ChatList } from './ChatList';
import { AppContext, useClientState } from './context';
import { ConnIndicator } from './ConnIndicator';
import { FriendsList } from './FriendsList';
import { RoomScreen } from './RoomScreen';
import { Settings } from './Settings';

const LANG_KEY = 'haetae.lang';

function initialLang(): Lang {
  const saved = localStorage.getItem(LANG_KEY);
  if (saved === 'ko' || saved === 'en') return saved;
  return pickLang(navigator.languages);
}

type Tab = 'friends' | 'chats' | 'settings';

export function App({ client }: { client: ChatClient }) {
  useClientState(client);
  const [lang, setLangState] = useState<Lang>(initialLang);
  const t = useMemo(() => translator(lang), [lang]);
  const [tab, setTab] = useState<Tab>('chats');
  const [roomId, setRoomId] = useState<number | null>(null);
  const setLang = (l: Lang) => {
    localStorage.setItem(LANG_KEY, l);
    setLangState(l);
  };
  useEffect(() => {
    document.documentElement.lang = lang;
    document.title = t('app.title');
  }, [lang, t]);

  const ctx = { client, t, lang, setLang };
  if (!client.session) {
    return (
      <AppContext.Provider value={ctx}>
        <AuthScreen />
      </AppContext.Provider>
    );
  }
  const open = (id: number) => {
    setRoomId(id);
    setTab('chats');
  };
  return (
    <AppContext.Provider value={ctx}>
      <div class={`shell ${roomId !== null ? 'has-room' : ''}`}>
        <aside class="side">
          <header class="side-head">
            <h1>{t(`nav.${tab}`)}</h1>
            <ConnIndicator />
          </header>
          <div class="side-body">
            {tab === 'friends' && <FriendsList onOpen={open} />}
            {tab === 'chats' && <ChatList selected={roomId} onOpen={open} />}
            {tab === 'settings' && <Settings />}
          </div>
          <nav class="tabs">
            {(['friends', 'chats', 'settings'] as const).map((k) => (
              <button key={k} class={tab === k ? 'active' : ''} data-tab={k} onClick={() => setTab(k)}>
                {t(`nav.${k}`)}
              </button>
            ))}
          </nav>
        </aside>
        <main class="main">
          {roomId !== null ? (
            <RoomScreen key={roomId} roomId={roomId} onBack={() => setRoomId(null)} />
          ) : (
            <div class="empty">{t('room.select')}</div>
          )}
        </main>
      </div>
    </AppContext.Provider>
  );
}
