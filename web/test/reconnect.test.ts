import { describe, expect, it } from 'vitest';
import { backoffDelay, NodeList, Reconnector } from '../src/lib/reconnect';

describe('backoffDelay', () => {
  it('grows exponentially with jitter between half and full step, capped', () => {
    expect(backoffDelay(0, () => 0)).toBe(250);
    expect(backoffDelay(0, () => 1)).toBe(500);
    expect(backoffDelay(3, () => 0)).toBe(2000);
    expect(backoffDelay(3, () => 1)).toBe(4000);
    expect(backoffDelay(40, () => 1)).toBe(30000);
    expect(backoffDelay(40, () => 0)).toBe(15000);
    for (let i = 0; i < 50; i++) {
      const d = backoffDelay(2, Math.random);
      expect(d).toBeGreaterThanOrEqual(1000);
      expect(d).toBeLessThanOrEqual(2000);
    }
  });
});

describe('NodeList', () => {
  it('rotates and keeps the current node across updates', () => {
    const n = new NodeList(['http://a/', 'http://b']);
    expect(n.current).toBe('http://a');
    expect(n.advance()).toBe('http://b');
    expect(n.advance()).toBe('http://a');
    n.advance();
    n.update(['http://c', 'http://b', 'http://b']);
    expect(n.all).toEqual(['http://c', 'http://b']);
    expect(n.current).toBe('http://b');
    n.update(['http://x']);
    expect(n.current).toBe('http://x');
    n.update([]);
    expect(n.current).toBe('http://x');
  });
});

describe('Reconnector', () => {
  it('tries every node in turn with growing jittered waits until one answers', async () => {
    const tried: string[] = [];
    const waits: number[] = [];
    const nodes = new NodeList(['http://a', 'http://b', 'http://c']);
    const r = new Reconnector<string>({
      nodes,
      connect: async (node) => {
        tried.push(node);
        if (tried.length < 4) throw new Error('down');
        return `conn@${node}`;
      },
      sleep: async (ms) => {
        waits.push(ms);
      },
      rand: () => 1,
    });
    expect(await r.run()).toBe('conn@http://a');
    expect(tried).toEqual(['http://a', 'http://b', 'http://c', 'http://a']);
    expect(waits).toEqual([500, 1000, 2000]);
    expect(nodes.current).toBe('http://a');
  });

  it('stops', async () => {
    const nodes = new NodeList(['http://a']);
    const box: { r?: Reconnector<string> } = {};
    let n = 0;
    const r = new Reconnector<string>({
      nodes,
      connect: async () => {
        if (++n === 3) box.r?.stop();
        throw new Error('down');
      },
      sleep: async () => {},
    });
    box.r = r;
    expect(await r.run()).toBeNull();
    expect(n).toBe(3);
  });
});
