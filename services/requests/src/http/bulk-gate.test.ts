import { describe, expect, it } from 'vitest';
import { createGate } from './bulk-gate.ts';

const tick = () => new Promise((r) => setImmediate(r));

describe('bulk gate', () => {
  it('when five works arrive at a gate of two, then at most two run at once and each later one starts in arrival order as a place frees', async () => {
    const gate = createGate(2);
    const started: number[] = [];
    const finish: (() => void)[] = [];
    let running = 0;
    let most = 0;
    const runs = [0, 1, 2, 3, 4].map((n) =>
      gate.run(async () => {
        started.push(n);
        running++;
        most = Math.max(most, running);
        await new Promise<void>((done) => finish.push(done));
        running--;
        return n;
      }),
    );
    await tick();
    expect(started).toEqual([0, 1]);
    expect(gate.waiting()).toBe(3);
    finish[1]!();
    await tick();
    expect(started).toEqual([0, 1, 2]);
    for (let i = 0; i < 5; i++) {
      finish[i]?.();
      await tick();
    }
    for (let i = 0; i < 5; i++) finish[i]?.();
    expect(await Promise.all(runs)).toEqual([0, 1, 2, 3, 4]);
    expect(started).toEqual([0, 1, 2, 3, 4]);
    expect(most).toBe(2);
    expect(gate.waiting()).toBe(0);
  });

  it('when a work fails, then its place goes to the next in line and the failure reaches its own caller only', async () => {
    const gate = createGate(1);
    const failed = gate.run(async () => {
      throw new Error('refused');
    });
    const next = gate.run(async () => 'ran');
    await expect(failed).rejects.toThrow('refused');
    expect(await next).toBe('ran');
    expect(await gate.run(async () => 'free again')).toBe('free again');
  });
});
