// A merge join over sources read a page at a time, each in ascending order of its rows' key (the
// drift check: the directory's records and the mail server's rows, by address). It answers windows:
// each holds, per source, every row whose key lies in one range of keys, so a comparison of the
// rows of a window sees everything both sides have for those keys, and no key is in two windows.
// At most about a page per source is held at once (more only when one key has more rows than a
// page). Keys compare as JavaScript strings, so the sources must order the same way (byte order
// for the ASCII addresses here: COLLATE "C" in PostgreSQL).

export interface PagedSource<T> {
  key: (row: T) => string;
  /** At most `limit` rows after `last` (the last row this source answered before; null: from the start). */
  next: (last: T | null, limit: number) => Promise<T[]>;
}

// biome-ignore lint/suspicious/noExplicitAny: each source of the tuple has its own row type
type Rows<S extends readonly PagedSource<any>[]> = {
  [K in keyof S]: S[K] extends PagedSource<infer T> ? T[] : never;
};

interface Cursor {
  source: PagedSource<unknown>;
  buffer: unknown[];
  last: unknown;
  done: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: see Rows
export async function* mergeWindows<S extends readonly PagedSource<any>[]>(
  sources: S,
  limit: number,
): AsyncGenerator<Rows<S>> {
  const cursors: Cursor[] = sources.map((source) => ({ source, buffer: [], last: null, done: false }));
  const fill = async (c: Cursor) => {
    const page = await c.source.next(c.last, limit);
    if (page.length > 0) {
      c.buffer.push(...page);
      c.last = page[page.length - 1];
    }
    if (page.length < limit) c.done = true;
  };
  const lastKey = (c: Cursor) => c.source.key(c.buffer[c.buffer.length - 1]);
  for (;;) {
    for (const c of cursors) if (!c.done && c.buffer.length === 0) await fill(c);
    const open = cursors.filter((c) => !c.done);
    if (open.length === 0 && cursors.every((c) => c.buffer.length === 0)) return;
    // a source still open may have more rows of its last key: the window stops short of the
    // smallest such key, so each key's rows all come in one window
    const bound = open.length === 0 ? null : (open.map(lastKey).sort()[0] as string);
    const window = cursors.map((c) => {
      if (bound === null) return c.buffer.splice(0);
      let n = 0;
      while (n < c.buffer.length && c.source.key(c.buffer[n]) < bound) n++;
      return c.buffer.splice(0, n);
    });
    if (window.some((rows) => rows.length > 0)) {
      yield window as Rows<S>;
    } else {
      // every row in hand has the bound's key or a later one: read on where the bound's key ends
      for (const c of open) if (lastKey(c) === bound) await fill(c);
    }
  }
}
