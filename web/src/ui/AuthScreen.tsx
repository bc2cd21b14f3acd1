import { useState } from 'preact/hooks';
import { errorText } from '../i18n';
import { ApiError } from '../lib/types';
import { useApp } from './context';

export function AuthScreen() {
  const { client, t } = useApp();
  const [mode, setMode] = useState<'login' | 'signup'>('login');
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [error, setError] = useState('');
  const [busy, setBusy] = useState(false);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    setBusy(true);
    setError('');
    try {
      if (mode === 'signup') await client.signup(name.trim(), password, displayName.trim() || undefined);
      else await client.login(name.trim(), password);
    } catch (e) {
      setError(errorText(t, e instanceof ApiError ? e.code : 'network'));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div class="auth">
      <form class="auth-card" onSubmit={submit}>
        <div class="logo">{t('app.title')}</div>
        <input
          name="name"
          autocomplete="username"
          placeholder={t('auth.name')}
          value={name}
          onInput={(e) => setName(e.currentTarget.value)}
          required
        />
        {mode === 'signup' && (
          <input
            name="display_name"
            placeholder={t('auth.displayName')}
            value={displayName}
            onInput={(e) => setDisplayName(e.currentTarget.value)}
          />
        )}
        <input
          name="password"
          type="password"
          autocomplete={mode === 'signup' ? 'new-password' : 'current-password'}
          placeholder={t('auth.password')}
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
          required
        />
        {error && <div class="error" role="alert">{error}</div>}
        <button type="submit" class="primary" disabled={busy}>
          {mode === 'signup' ? t('auth.signup') : t('auth.login')}
        </button>
        <button type="button" class="link" onClick={() => setMode(mode === 'login' ? 'signup' : 'login')}>
          {mode === 'login' ? t('auth.toSignup') : t('auth.toLogin')}
        </button>
      </form>
    </div>
  );
}
