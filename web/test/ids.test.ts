import { describe, expect, it } from 'vitest';
import { CLIENT_ID_RE, newClientId } from '../src/lib/ids';

describe('newClientId', () => {
  it('is 32 hex chars from getRandomValues and fits the protocol', () => {
    const id = newClientId();
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(id).toMatch(CLIENT_ID_RE);
    expect(newClientId()).not.toBe(id);
  });
  it('uses the given random source', () => {
    const id = newClientId((b) => b.fill(0xab));
    expect(id).toBe('ab'.repeat(16));
  });
});
