import { useApp } from './context';

export function ConnIndicator() {
  const { client, t } = useApp();
  const s = client.connState;
  const label =
    s.state === 'connected'
      ? t('conn.connected')
      : s.state === 'connecting'
        ? t('conn.connecting')
        : s.state === 'waiting'
          ? t('conn.waiting', { seconds: Math.ceil(s.delayMs / 1000) })
          : t('conn.offline');
  const node = s.state === 'offline' ? '' : s.node.replace(/^https?:\/\//, '');
  return (
    <div class={`conn conn-${s.state}`} data-testid="conn" title={node}>
      <span class="dot" />
      <span>{label}</span>
      {node && <span class="node">{node}</span>}
    </div>
  );
}
