import { describe, expect, it } from 'vitest';
import type { Update } from 'telegraf/types';
import { UpdateQueue } from '../../../services/bot/update-queue.js';

const msg = (updateId: number, userId: number) => ({ update_id: updateId, message: { message_id: updateId, date: 0, chat: { id: userId, type: 'private' }, from: { id: userId, is_bot: false, first_name: 'x' }, text: 'hi' } }) as unknown as Update;

describe('update queue', () => {
  it('handles one user\'s updates in order and other users\' alongside', async () => {
    const log: string[] = [];
    const gates = new Map<number, () => void>();
    const queue = new UpdateQueue(async (u) => {
      log.push(`start ${u.update_id}`);
      await new Promise<void>((r) => gates.set(u.update_id, r));
      log.push(`end ${u.update_id}`);
    });
    const a1 = queue.run(msg(1, 10));
    const a2 = queue.run(msg(2, 10));
    const b1 = queue.run(msg(3, 20));
    await Promise.resolve();
    await Promise.resolve();
    expect(log).toEqual(['start 1', 'start 3']); // 2 waits for 1; user 20 is not held up
    gates.get(3)!();
    await b1;
    gates.get(1)!();
    await a1;
    await new Promise((r) => setImmediate(r));
    expect(log).toEqual(['start 1', 'start 3', 'end 3', 'end 1', 'start 2']);
    gates.get(2)!();
    await a2;
    await queue.idle();
  });

  it('keeps going after a failed update', async () => {
    const seen: number[] = [];
    const queue = new UpdateQueue(async (u) => {
      seen.push(u.update_id);
      if (u.update_id === 1) throw new Error('boom');
    });
    await expect(queue.run(msg(1, 10))).rejects.toThrow('boom');
    await queue.run(msg(2, 10));
    expect(seen).toEqual([1, 2]);
  });
});
