import { describe, expect, it } from 'vitest';
import { mergeWindows, type PagedSource } from './merge-windows.ts';

/** A sorted list served a page at a time, counting the pages read and the most rows handed out at once. */
function listed(rows: string[]) {
  const sorted = [...rows].sort();
  const source: PagedSource<{ key: string; n: number }> & { pages: number } = {
    pages: 0,
    key: (row) => row.key,
    next: async (last, limit) => {
      source.pages++;
      const from = last === null ? 0 : last.n + 1;
      return sorted.slice(from, from + limit).map((key, i) => ({ key, n: from + i }));
    },
  };
  return source;
}

async function windows(lists: string[][], limit: number) {
  const out: string[][][] = [];
  const sources = lists.map(listed);
  for await (const w of mergeWindows(sources, limit)) out.push(w.map((rows) => rows.map((r) => r.key)));
  return out;
}

describe('mergeWindows', () => {
  const left = ['a', 'b', 'b', 'b', 'c', 'f', 'g', 'k'];
  const right = ['b', 'c', 'd', 'e', 'g', 'h', 'h', 'z'];

  for (const limit of [1, 2, 3, 5, 100]) {
    it(`when both sides are read ${limit} at a time, then every row comes once, in order, each key in one window`, async () => {
      const ws = await windows([left, right], limit);
      expect(ws.flatMap((w) => w[0])).toEqual(left);
      expect(ws.flatMap((w) => w[1])).toEqual(right);
      const keysOf = ws.map((w) => new Set(w.flat()));
      for (const [i, keys] of keysOf.entries())
        for (const later of keysOf.slice(i + 1)) for (const k of keys) expect(later.has(k)).toBe(false);
    });
  }

  it('when one side is empty, or both, then the other comes whole and nothing is made up', async () => {
    expect((await windows([[], right], 3)).flatMap((w) => w[1])).toEqual(right);
    expect(await windows([[], []], 3)).toEqual([]);
  });

  it('when the sides are read, then only pages are asked for, not the whole', async () => {
    const sources = [listed(left), listed(right)];
    for await (const _ of mergeWindows(sources, 3)) {
      // read on
    }
    expect(sources[0]?.pages).toBe(3); // 8 rows: 3 + 3 + 2, the short page ends it
    expect(sources[1]?.pages).toBe(3);
  });
});
