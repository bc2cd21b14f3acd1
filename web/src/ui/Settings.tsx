import type { Lang } from '../i18n';
import { useApp } from './context';

export function Settings() {
  const { client, t, lang, setLang } = useApp();
  return (
    <div class="settings">
      <label>
        {t('settings.language')}
        <select value={lang} onChange={(e) => setLang(e.currentTarget.value as Lang)} name="lang">
          <option value="ko">{t('settings.lang.ko')}</option>
          <option value="en">{t('settings.lang.en')}</option>
        </select>
      </label>
      <button class="danger" onClick={() => void client.logout()}>
        {t('settings.logout')}
      </button>
    </div>
  );
}
