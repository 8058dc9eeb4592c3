// The order in which the background writer of bulk requests' items works (items-writer.ts), with
// the writing itself replaced: at most `atOnce` at a time in arrival order, a reader's request
// ahead of the line, background work held while bulk submissions wait for their answer (up to
// `maxDeferMs`), and the line left to the next start on stop.
import { beforeEach, describe, expect, it, vi } from 'vitest';

const calls: { requestId: string; wait: boolean }[] = [];
const pending = new Set<string>();
let release: (() => void)[] = [];

vi.mock('./expand-request.ts', () => ({
  expandRequest: vi.fn(async (_deps: unknown, requestId: string, options: { wait: boolean }) => {
    calls.push({ requestId, wait: options.wait });
    await new Promise<void>((resolve) => release.push(resolve));
    return pending.delete(requestId);
  }),
}));
vi.mock('../../db/request-repository.ts', () => ({
  isExpansionPending: vi.fn(async (_db: unknown, requestId: string) => pending.has(requestId)),
  listPendingExpansions: vi.fn(async () => []),
}));

const { createItemsWriter } = await import('./items-writer.ts');

const logger = { error: vi.fn() };
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));
/** Lets every write under way finish. */
async function finishRunning() {
  const now = release;
  release = [];
  for (const r of now) r();
  await tick();
}

beforeEach(() => {
  calls.length = 0;
  pending.clear();
  release = [];
});

describe('the background writer of bulk requests’ items', () => {
  it('when five requests are woken, then two are written at a time, in arrival order', async () => {
    const writer = createItemsWriter({ deps: {} as never, logger, atOnce: 2 });
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      pending.add(id);
      writer.wake(id);
    }
    await tick();
    expect(calls.map((c) => c.requestId)).toEqual(['a', 'b']);
    await finishRunning();
    expect(calls.map((c) => c.requestId)).toEqual(['a', 'b', 'c', 'd']);
    await finishRunning();
    await finishRunning();
    expect(calls.map((c) => c.requestId)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(calls.every((c) => !c.wait)).toBe(true);
    await writer.stop();
  });

  it('when a reader needs a request still in the line, then it is written next, and the reader waits for it', async () => {
    const writer = createItemsWriter({ deps: {} as never, logger, atOnce: 1 });
    for (const id of ['a', 'b', 'c']) {
      pending.add(id);
      writer.wake(id);
    }
    await tick();
    let read = false;
    const reader = writer.ensureWritten('c').then(() => {
      read = true;
    });
    await finishRunning();
    expect(calls.map((c) => c.requestId)).toEqual(['a', 'c']);
    expect(calls[1]!.wait).toBe(true);
    expect(read).toBe(false);
    await finishRunning();
    await reader;
    expect(read).toBe(true);
    expect(pending.has('c')).toBe(false);
    await finishRunning();
    expect(calls.map((c) => c.requestId)).toEqual(['a', 'c', 'b']);
    await writer.stop();
  });

  it('when bulk submissions wait for their answer, then background writing waits, up to maxDeferMs', async () => {
    let busy = true;
    const writer = createItemsWriter({
      deps: {} as never,
      logger,
      atOnce: 1,
      busy: () => busy,
      maxDeferMs: 200,
    });
    pending.add('a');
    writer.wake('a');
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(calls).toEqual([]);
    busy = false;
    await new Promise((resolve) => setTimeout(resolve, 40));
    expect(calls.map((c) => c.requestId)).toEqual(['a']);
    await finishRunning();

    busy = true;
    pending.add('b');
    writer.wake('b');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls.map((c) => c.requestId)).toEqual(['a', 'b']);
    await finishRunning();
    await writer.stop();
  });

  it('when a request has nothing pending, then a reader reads at once without writing', async () => {
    const writer = createItemsWriter({ deps: {} as never, logger, atOnce: 1 });
    await writer.ensureWritten('written-long-ago');
    expect(calls).toEqual([]);
    await writer.stop();
  });

  it('when stopped, then the write under way ends and the ones not started are left pending', async () => {
    const writer = createItemsWriter({ deps: {} as never, logger, atOnce: 1 });
    for (const id of ['a', 'b']) {
      pending.add(id);
      writer.wake(id);
    }
    await tick();
    const stopped = writer.stop();
    await finishRunning();
    await stopped;
    expect(calls.map((c) => c.requestId)).toEqual(['a']);
    expect([...pending]).toEqual(['b']);
  });
});
