import { createContext } from 'preact';
import { useContext, useEffect, useState } from 'preact/hooks';
import type { Lang, Translate } from '../i18n';
import type { ChatClient } from '../lib/client';

export interface Ctx {
  client: ChatClient;
  t: Translate;
  lang: Lang;
  setLang: (l: Lang) => void;
}

export const AppContext = createContext<Ctx | null>(null);

export function useApp(): Ctx {
  const c = useContext(AppContext);
  if (!c) throw new Error('no AppContext');
  return c;
}

/** Re-renders the component whenever the client's state changes. */
export function useClientState(client: ChatClient): void {
  const [, setVersion] = useState(0);
  useEffect(() => {
    const off = client.subscribe(() => setVersion((n) => n + 1));
    return () => {
      off();
    };
  }, [client]);
}
