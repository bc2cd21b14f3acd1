import { afterEach, describe, expect, it, vi } from 'vitest';
import { WsConnection } from '../src/lib/ws';
import type { Push } from '../src/lib/types';
import { FakeSocket, msg } from './fakes';

async function connected(opts = {}) {
  let sock!: FakeSocket;
  const p = WsConnection.connect('ws://n1/ws', 'tok', (u) => (sock = new FakeSocket(u)), opts);
  sock.open();
  expect(sock.sent[0]).toEqual({ op: 'auth', token: 'tok' });
  sock.serverSend({ type: 'auth_ok', user_id: 3, device_id: 12 });
  const conn = await p;
  return { conn, sock };
}

afterEach(() => vi.useRealTimers());

describe('WsConnection', () => {
  it('sends the token as the first frame and resolves on auth_ok', async () => {
    const { conn } = await connected();
    expect(conn.auth).toEqual({ user_id: 3, device_id: 12 });
  });

  it('rejects with unauthorized on close 1008', async () => {
    let sock!: FakeSocket;
    const p = WsConnection.connect('ws://n1/ws', 'bad', (u) => (sock = new FakeSocket(u)));
    sock.open();
    sock.serverSend({ type: 'error', error: { code: 'unauthorized', message: 'no' } });
    sock.serverClose(1008);
    await expect(p).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('treats close 1013 as retriable elsewhere', async () => {
    let sock!: FakeSocket;
    const p = WsConnection.connect('ws://n1/ws', 't', (u) => (sock = new FakeSocket(u)));
    sock.open();
    sock.serverClose(1013, 'try again later');
    await expect(p).rejects.toMatchObject({ code: 'store_unavailable' });
  });

  it('matches results by rid even out of order', async () => {
    const { conn, sock } = await connected();
    const a = conn.request<{ seq: number }>('send', { room_id: 4, client_id: 'a', body: 'x' });
    const b = conn.request<{ seq: number }>('send', { room_id: 4, client_id: 'b', body: 'y' });
    const [fa, fb] = sock.sent.slice(1);
    expect(fa).toMatchObject({ op: 'send', client_id: 'a' });
    expect(fa.rid).not.toBe(fb.rid);
    sock.serverSend({ type: 'result', rid: fb.rid, result: { seq: 18 } });
    sock.serverSend({ type: 'result', rid: fa.rid, result: { seq: 17 } });
    expect((await a).seq).toBe(17);
    expect((await b).seq).toBe(18);
    expect(conn.pendingCount).toBe(0);
  });

  it('rejects with the error code of an error reply', async () => {
    const { conn, sock } = await connected();
    const p = conn.request('send', { room_id: 9 });
    sock.serverSend({ type: 'error', rid: sock.sent[1].rid, error: { code: 'not_room_member', message: 'no' } });
    await expect(p).rejects.toMatchObject({ code: 'not_room_member' });
  });

  it('delivers pushes and ignores junk frames', async () => {
    const pushes: Push[] = [];
    const { sock } = await connected({ onPush: (p: Push) => pushes.push(p) });
    sock.serverSend('not json');
    sock.serverSend({ type: 'event', event: msg(4, 1) });
    sock.serverSend({ type: 'read', room_id: 4, user_id: 5, seq: 1 });
    sock.serverSend({ type: 'error', rid: null, error: { code: 'bad_request' } });
    expect(pushes.map((p) => p.type)).toEqual(['event', 'read']);
  });

  it('times out a request with no reply', async () => {
    vi.useFakeTimers();
    const { conn } = await connected({ requestTimeoutMs: 1000 });
    const p = conn.request('send', {});
    vi.advanceTimersByTime(1001);
    await expect(p).rejects.toMatchObject({ code: 'timeout' });
  });

  it('fails every pending request when the socket closes', async () => {
    const closes: number[] = [];
    const { conn, sock } = await connected({ onClose: (c: number) => closes.push(c) });
    const p = conn.request('send', {});
    sock.serverClose(1006);
    await expect(p).rejects.toMatchObject({ code: 'closed' });
    expect(closes).toEqual([1006]);
    await expect(conn.request('me')).rejects.toMatchObject({ code: 'closed' });
  });
});
