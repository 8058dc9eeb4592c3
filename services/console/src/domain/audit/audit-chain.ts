// The audit log's hash chain, pure: each entry's hash is SHA-256 over a canonical serialisation of
// its content and the hash of the entry before it, so changing, removing or reordering a stored
// entry breaks the chain from that entry on. The first entry chains to GENESIS_HASH.
import { createHash } from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

/** What an entry's hash covers (everything stored but its row id and the hash itself). */
export interface AuditContent {
  at: Date;
  operatorId: string | null;
  username: string;
  action: string;
  target: string | null;
  outcome: string;
  details: Record<string, unknown>;
  clientIp: string | null;
}

/**
 * JSON with object keys sorted at every depth and undefined members left out, so the same value
 * always gives the same text (PostgreSQL's jsonb does not keep key order).
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    const text = JSON.stringify(value);
    return text === undefined ? 'null' : text;
  }
  if (Array.isArray(value))
    return `[${value.map((v) => canonicalJson(v === undefined ? null : v)).join(',')}]`;
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/** The details as they come back from jsonb: plain JSON values only. */
export function normaliseDetails(details: Record<string, unknown> | undefined): Record<string, unknown> {
  return JSON.parse(JSON.stringify(details ?? {})) as Record<string, unknown>;
}

export function auditEntryHash(content: AuditContent, prevHash: string): string {
  const text = canonicalJson({
    v: 1,
    at: content.at.toISOString(),
    operatorId: content.operatorId,
    username: content.username,
    action: content.action,
    target: content.target,
    outcome: content.outcome,
    details: content.details,
    clientIp: content.clientIp,
    prevHash,
  });
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export interface StoredAuditEntry extends AuditContent {
  id: string;
  prevHash: string;
  hash: string;
}

export type ChainBreak =
  /** The entry's content (or its stored hash) no longer matches its hash. */
  | { id: string; at: Date; kind: 'content_changed' }
  /** The entry does not chain to the one stored before it: one was removed, added or reordered. */
  | { id: string; at: Date; kind: 'link_broken' };

/**
 * Checks a run of entries in id order, given the hash the first one must chain to; returns the
 * breaks found and the hash the next run must chain to (the last entry's stored hash).
 */
export function checkChainRun(
  entries: readonly StoredAuditEntry[],
  expectedPrev: string,
): { breaks: ChainBreak[]; nextPrev: string } {
  const breaks: ChainBreak[] = [];
  let prev = expectedPrev;
  for (const e of entries) {
    if (e.prevHash !== prev) breaks.push({ id: e.id, at: e.at, kind: 'link_broken' });
    if (auditEntryHash(e, e.prevHash) !== e.hash)
      breaks.push({ id: e.id, at: e.at, kind: 'content_changed' });
    prev = e.hash;
  }
  return { breaks, nextPrev: prev };
}
