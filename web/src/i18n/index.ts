import en from './en.json';
import ko from './ko.json';

export type Lang = 'ko' | 'en';
export type MessageKey = keyof typeof ko;

export const messages: Record<Lang, Record<MessageKey, string>> = { ko, en };

/** Follows the browser: the first of its languages that we have; Korean when it asks for neither. */
export function pickLang(preferred: readonly string[] | undefined): Lang {
  for (const tag of preferred ?? []) {
    const base = tag.toLowerCase().split('-')[0];
    if (base === 'ko' || base === 'en') return base;
  }
  return 'ko';
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

export function translator(lang: Lang): Translate {
  const table = messages[lang];
  return (key, params) => {
    const s = table[key] ?? messages.ko[key] ?? key;
    return params ? s.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m)) : s;
  };
}

/** A server error code as a sentence, or the generic one. */
export function errorText(t: Translate, code: string): string {
  const key = `error.${code}` as MessageKey;
  return key in messages.ko ? t(key) : t('error.generic', { code });
}
