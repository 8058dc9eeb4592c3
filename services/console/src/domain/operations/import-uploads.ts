// The files of an import between its plan and its apply: the operator uploads them once, reads the
// plan, and applies what was planned without uploading again. Kept in this process's memory for a
// while (a restart of the console asks for the files again), at most a few at a time, each only for
// the operator who uploaded it.
import type { Clock, NewId } from '@hopthu/shared/clock';

export interface ImportUpload {
  id: string;
  province: string;
  format: 'auto' | 'csv' | 'zmprov' | 'ldif';
  agencies: string;
  mailboxes: string;
  agenciesName: string;
  mailboxesName: string;
  uploadedBy: string;
  at: Date;
}

export interface ImportUploadStore {
  put(upload: Omit<ImportUpload, 'id' | 'at'>): ImportUpload;
  /** The upload, if it is still kept and was made by this operator. */
  get(id: string, username: string): ImportUpload | undefined;
}

export function createImportUploadStore(deps: {
  clock: Clock;
  newId: NewId;
  ttlMs?: number;
  max?: number;
}): ImportUploadStore {
  const ttlMs = deps.ttlMs ?? 2 * 3_600_000;
  const max = deps.max ?? 5;
  const kept = new Map<string, ImportUpload>();
  const prune = () => {
    const now = deps.clock.now().getTime();
    for (const [id, u] of kept) if (now - u.at.getTime() > ttlMs) kept.delete(id);
    // oldest first out: a Map iterates in insertion order
    while (kept.size > max) kept.delete(kept.keys().next().value as string);
  };
  return {
    put(upload) {
      const stored: ImportUpload = { ...upload, id: deps.newId(), at: deps.clock.now() };
      kept.set(stored.id, stored);
      prune();
      return stored;
    },
    get(id, username) {
      prune();
      const u = kept.get(id);
      return u && u.uploadedBy === username ? u : undefined;
    },
  };
}
