import { firstValueFrom, take, toArray } from 'rxjs';
import { describe, expect, it } from 'vitest';
import type { Sample } from '../../src/model/sample.js';
import { MemoryTransport } from '../../src/transport/memoryTransport.js';

const sample = (i: number): Sample => ({ ts: i, metric: 'm', value: i, tags: {} });

describe('MemoryTransport', () => {
  it('passes samples straight through to an attached consumer and completes on close', async () => {
    const transport = new MemoryTransport({ capacity: 4 });
    const received = firstValueFrom(transport.consume().pipe(toArray()));
    for (let i = 0; i < 100; i++) expect(transport.publish(sample(i))).toBeUndefined();
    transport.close();
    expect((await received).map((s) => s.value)).toEqual(Array.from({ length: 100 }, (_, i) => i));
  });

  it('queues up to capacity without a consumer, then makes publishers wait instead of growing', async () => {
    const transport = new MemoryTransport({ capacity: 3 });
    expect(transport.publish(sample(0))).toBeUndefined();
    expect(transport.publish(sample(1))).toBeUndefined();
    const full = transport.publish(sample(2));
    expect(full).toBeInstanceOf(Promise);
    expect(transport.buffered).toBe(3);
    let resumed = false;
    void (full as Promise<void>).then(() => {
      resumed = true;
    });
    await Promise.resolve();
    expect(resumed).toBe(false);
    const received = firstValueFrom(transport.consume().pipe(take(3), toArray()));
    await full;
    expect(resumed).toBe(true);
    expect((await received).map((s) => s.value)).toEqual([0, 1, 2]);
  });

  it('loses nothing across close: queued samples are delivered before completion', async () => {
    const transport = new MemoryTransport({ capacity: 10 });
    for (let i = 0; i < 5; i++) transport.publish(sample(i));
    transport.close();
    expect(() => transport.publish(sample(9))).toThrow('publish after close');
    const all = await firstValueFrom(transport.consume().pipe(toArray()));
    expect(all.map((s) => s.value)).toEqual([0, 1, 2, 3, 4]);
    transport.close();
  });

  it('allows one consumer at a time and a new one after the first unsubscribes', async () => {
    const transport = new MemoryTransport();
    const first = transport.consume().subscribe();
    await expect(firstValueFrom(transport.consume())).rejects.toThrow('already has a consumer');
    first.unsubscribe();
    const next = firstValueFrom(transport.consume());
    transport.publish(sample(7));
    expect((await next).value).toBe(7);
    expect(() => new MemoryTransport({ capacity: 0 })).toThrow(RangeError);
  });
});
