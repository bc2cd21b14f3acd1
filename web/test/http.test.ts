import { describe, expect, it } from 'vitest';
import { HttpApi, wsUrl } from '../src/lib/http';
import { ApiError, isRetriable } from '../src/lib/types';

function fakeFetch(status: number, body: unknown, seen: { url?: string; init?: RequestInit }[] = []) {
  return async (url: string, init?: RequestInit) => {
    seen.push({ url, init });
    return new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });
  };
}

describe('HttpApi', () => {
  it('posts JSON with the bearer token and returns the result', async () => {
    const seen: { url?: string; init?: RequestInit }[] = [];
    const api = new HttpApi('http://n1:8080', 'tok', { fetch: fakeFetch(200, { user: { id: 3 } }, seen) });
    const r = await api.call<{ user: { id: number } }>('me');
    expect(r.user.id).toBe(3);
    expect(seen[0].url).toBe('http://n1:8080/api/me');
    expect(seen[0].init?.method).toBe('POST');
    expect((seen[0].init?.headers as Record<string, string>).Authorization).toBe('Bearer tok');
    expect(seen[0].init?.body).toBe('{}');
  });

  it('sends no token with login', async () => {
    const seen: { url?: string; init?: RequestInit }[] = [];
    const api = new HttpApi('http://n1', 'tok', { fetch: fakeFetch(200, { token: 't' }, seen) });
    await api.call('login', { name: 'minji', password: 'pw' });
    expect((seen[0].init?.headers as Record<string, string>).Authorization).toBeUndefined();
  });

  it('turns the error object into an ApiError with code and status', async () => {
    const api = new HttpApi('http://n1', 't', {
      fetch: fakeFetch(403, { error: { code: 'not_room_member', message: 'no' } }),
    });
    const err = await api.call<never>('send', {}).catch((e: ApiError) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('not_room_member');
    expect(err.status).toBe(403);
    expect(isRetriable(err)).toBe(false);
  });

  it('reports a transport failure as a retriable network error', async () => {
    const api = new HttpApi('http://n1', 't', {
      fetch: async () => {
        throw new TypeError('Failed to fetch');
      },
    });
    const err = await api.call<never>('send', {}).catch((e: ApiError) => e);
    expect(err.code).toBe('network');
    expect(isRetriable(err)).toBe(true);
  });

  it('treats 503 store_unavailable as retriable', async () => {
    const api = new HttpApi('http://n1', 't', {
      fetch: fakeFetch(503, { error: { code: 'store_unavailable', message: 'x' } }),
    });
    const err = await api.call<never>('send', {}).catch((e: ApiError) => e);
    expect(isRetriable(err)).toBe(true);
  });

  it('reads /api/nodes with GET', async () => {
    const seen: { url?: string; init?: RequestInit }[] = [];
    const api = new HttpApi('http://n1', null, { fetch: fakeFetch(200, { nodes: ['http://n1'], self: 'http://n1' }, seen) });
    expect((await api.nodes()).nodes).toEqual(['http://n1']);
    expect(seen[0].url).toBe('http://n1/api/nodes');
    expect(seen[0].init?.method).toBe('GET');
  });
});

describe('wsUrl', () => {
  it('maps http to ws and https to wss', () => {
    expect(wsUrl('http://127.0.0.1:8080')).toBe('ws://127.0.0.1:8080/ws');
    expect(wsUrl('https://chat.example/')).toBe('wss://chat.example/ws');
  });
});
