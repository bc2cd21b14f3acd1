import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { IdbOutboxStore, MemoryOutboxStore, Outbox, type OutboxEntry } from '../src/lib/outbox';
import { ApiError, type SendResult } from '../src/lib/types';

function ids() {
  let n = 0;
  return () => `id${++n}`;
}

function okSend(log: OutboxEntry[]) {
  let seq = 0;
  return async (e: OutboxEntry): Promise<SendResult> => {
    log.push({ ...e });
    return { room_id: e.roomId, seq: ++seq, time: 1, duplicate: false };
  };
}

describe('Outbox', () => {
  it('commits to the store before enqueue resolves', async () => {
    const store = new MemoryOutboxStore();
    const ob = new Outbox(store, 'u3', {}, ids());
    await ob.enqueue(4, '안녕');
    const rows = await store.list('u3');
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ roomId: 4, body: '안녕', clientId: 'id1', state: 'pending' });
  });

  it('sends first-in first-out per room and empties on acks', async () => {
    const store = new MemoryOutboxStore();
    const acked: string[] = [];
    const ob = new Outbox(store, 'u3', { acked: (e) => acked.push(e.clientId) }, ids());
    await ob.enqueue(4, 'a');
    await ob.enqueue(5, 'x');
    await ob.enqueue(4, 'b');
    await ob.enqueue(4, 'c');
    const log: OutboxEntry[] = [];
    expect(await ob.flush(okSend(log))).toBe(true);
    expect(log.filter((e) => e.roomId === 4).map((e) => e.body)).toEqual(['a', 'b', 'c']);
    expect(acked.sort()).toEqual(['id1', 'id2', 'id3', 'id4']);
    expect(await store.list('u3')).toHaveLength(0);
    expect(ob.list()).toHaveLength(0);
  });

  it('keeps one message in flight per room', async () => {
    const ob = new Outbox(new MemoryOutboxStore(), 'u3', {}, ids());
    await ob.enqueue(4, 'a');
    await ob.enqueue(4, 'b');
    let inFlight = 0;
    let maxInFlight = 0;
    await ob.flush(async (e) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      await new Promise((r) => setTimeout(r, 1));
      inFlight--;
      return { room_id: e.roomId, seq: 1, time: 1, duplicate: false };
    });
    expect(maxInFlight).toBe(1);
  });

  it('sends each message once when flushes overlap', async () => {
    const ob = new Outbox(new MemoryOutboxStore(), 'u3', {}, ids());
    await ob.enqueue(4, 'a');
    const log: OutboxEntry[] = [];
    const send = async (e: OutboxEntry): Promise<SendResult> => {
      log.push(e);
      await new Promise((r) => setTimeout(r, 1));
      return { room_id: 4, seq: log.length, time: 1, duplicate: false };
    };
    const first = ob.flush(send);
    await ob.enqueue(4, 'b'); // typed while a is in flight
    const second = ob.flush(send);
    expect(await Promise.all([first, second])).toEqual([true, true]);
    expect(log.map((e) => e.body)).toEqual(['a', 'b']);
    expect(ob.pendingCount).toBe(0);
  });

  it('resends with the same client id after a retriable failure', async () => {
    const store = new MemoryOutboxStore();
    const ob = new Outbox(store, 'u3', {}, ids());
    await ob.enqueue(4, 'a');
    await ob.enqueue(4, 'b');
    const tried: string[] = [];
    let fail = true;
    const send = async (e: OutboxEntry): Promise<SendResult> => {
      tried.push(e.clientId);
      if (fail) throw new ApiError('timeout', 'no reply');
      return { room_id: 4, seq: tried.length, time: 1, duplicate: e.clientId === 'id1' };
    };
    expect(await ob.flush(send)).toBe(false);
    expect(tried).toEqual(['id1']); // b waits behind a
    expect(ob.pendingCount).toBe(2);
    fail = false;
    expect(await ob.flush(send)).toBe(true);
    expect(tried).toEqual(['id1', 'id1', 'id2']);
  });

  it('marks a permanent refusal failed, moves on, and can retry it with the same id', async () => {
    const store = new MemoryOutboxStore();
    const ob = new Outbox(store, 'u3', {}, ids());
    await ob.enqueue(4, 'x'.repeat(20000));
    await ob.enqueue(4, 'ok');
    const log: OutboxEntry[] = [];
    const send = async (e: OutboxEntry): Promise<SendResult> => {
      if (e.body.length > 16384) throw new ApiError('field_too_long', 'too long', 400);
      log.push(e);
      return { room_id: 4, seq: 1, time: 1, duplicate: false };
    };
    expect(await ob.flush(send)).toBe(true);
    expect(log.map((e) => e.body)).toEqual(['ok']);
    const [failed] = ob.list(4);
    expect(failed).toMatchObject({ state: 'failed', error: 'field_too_long', clientId: 'id1' });
    expect((await store.list('u3'))[0].state).toBe('failed');
    await ob.retry('id1');
    expect(ob.list(4)[0]).toMatchObject({ state: 'pending', clientId: 'id1' });
    await ob.discard('id1');
    expect(ob.list()).toHaveLength(0);
    expect(await store.list('u3')).toHaveLength(0);
  });

  it('survives a reload: a new Outbox on the same store resumes in order', async () => {
    const store = new MemoryOutboxStore();
    const first = new Outbox(store, 'u3', {}, ids());
    await first.enqueue(4, 'a');
    await first.enqueue(4, 'b');
    const again = new Outbox(store, 'u3', {}, () => 'fresh');
    await again.load();
    const log: OutboxEntry[] = [];
    await again.flush(okSend(log));
    expect(log.map((e) => [e.clientId, e.body])).toEqual([
      ['id1', 'a'],
      ['id2', 'b'],
    ]);
  });

  it('keeps accounts apart', async () => {
    const store = new MemoryOutboxStore();
    await new Outbox(store, 'u3', {}, ids()).enqueue(4, 'mine');
    const other = new Outbox(store, 'u5', {}, ids());
    await other.load();
    expect(other.list()).toHaveLength(0);
  });

  it('uses random hex ids by default', async () => {
    const ob = new Outbox(new MemoryOutboxStore(), 'u3');
    const e = await ob.enqueue(1, 'a');
    expect(e.clientId).toMatch(/^[0-9a-f]{32}$/);
  });
});

describe('IdbOutboxStore', () => {
  it('stores, lists by account and deletes', async () => {
    const store = new IdbOutboxStore();
    const ob = new Outbox(store, 'u3', {}, ids());
    await ob.enqueue(4, 'a');
    await ob.enqueue(4, 'b');
    await new Outbox(store, 'u9', {}, ids()).enqueue(4, 'other');
    const reloaded = new Outbox(store, 'u3');
    await reloaded.load();
    expect(reloaded.list().map((e) => e.body)).toEqual(['a', 'b']);
    await reloaded.flush(okSend([]));
    expect(await store.list('u3')).toHaveLength(0);
    expect(await store.list('u9')).toHaveLength(1);
  });
});
