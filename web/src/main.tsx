import { render } from 'preact';
import { ChatClient } from './lib/client';
import { App } from './ui/App';
import './styles.css';

// Behind Vite's proxy (dev server, or a build made with VITE_PIN_ORIGIN=1 for `vite preview`)
// the page's origin is not a node: stay on it instead of adopting /api/nodes.
const pinOrigin = import.meta.env.DEV || import.meta.env.VITE_PIN_ORIGIN === '1';
const client = new ChatClient({ origin: location.origin, storage: localStorage, followNodeList: !pinOrigin });
void client.start();
window.addEventListener('online', () => client.poke());
document.addEventListener('visibilitychange', () => {
  if (document.visibilityState === 'visible') client.poke();
});
render(<App client={client} />, document.getElementById('app')!);
