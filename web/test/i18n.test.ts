import { describe, expect, it } from 'vitest';
import { errorText, messages, pickLang, translator } from '../src/i18n';

describe('i18n', () => {
  it('follows the browser, Korean when it asks for neither', () => {
    expect(pickLang(['en-US', 'ko'])).toBe('en');
    expect(pickLang(['ko-KR'])).toBe('ko');
    expect(pickLang(['fr-FR', 'de'])).toBe('ko');
    expect(pickLang(['fr', 'en-GB'])).toBe('en');
    expect(pickLang([])).toBe('ko');
    expect(pickLang(undefined)).toBe('ko');
  });

  it('has the same keys in every language, none empty', () => {
    const ko = Object.keys(messages.ko).sort();
    expect(Object.keys(messages.en).sort()).toEqual(ko);
    for (const lang of ['ko', 'en'] as const) for (const v of Object.values(messages[lang])) expect(v).not.toBe('');
  });

  it('fills parameters', () => {
    expect(translator('en')('room.members', { count: 3 })).toBe('3 members');
    expect(translator('ko')('room.members', { count: 3 })).toBe('3명');
  });

  it('maps error codes', () => {
    const t = translator('en');
    expect(errorText(t, 'name_taken')).toBe('That user name is taken.');
    expect(errorText(t, 'weird')).toBe('Something went wrong: weird');
  });
});
