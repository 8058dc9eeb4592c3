import { describe, expect, it } from 'vitest';
import {
  type AuditContent,
  auditEntryHash,
  canonicalJson,
  checkChainRun,
  GENESIS_HASH,
  type StoredAuditEntry,
} from './audit-chain.ts';

function buildContent(overrides: Partial<AuditContent> = {}): AuditContent {
  return {
    at: new Date('2026-11-24T03:00:00.123Z'),
    operatorId: '6f1c2d43-8a55-4c1e-9e0e-0d7c3f3b2a11',
    username: 'canbo.an',
    action: 'approval.approve',
    target: 'r/i',
    outcome: 'ok',
    details: { reason: 'Đã xác minh', approvals: ['a', 'b'] },
    clientIp: '127.0.0.1',
    ...overrides,
  };
}

function buildChain(n: number): StoredAuditEntry[] {
  const out: StoredAuditEntry[] = [];
  let prev = GENESIS_HASH;
  for (let i = 0; i < n; i++) {
    const content = buildContent({ target: `t${i}` });
    const hash = auditEntryHash(content, prev);
    out.push({ ...content, id: String(i + 1), prevHash: prev, hash });
    prev = hash;
  }
  return out;
}

describe('canonicalJson', () => {
  it('when keys come in another order, then the text is the same', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: 'é' } })).toBe(
      canonicalJson({ a: { c: 'é', d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
    expect(canonicalJson({ a: undefined, b: null })).toBe('{"b":null}');
  });
});

describe('auditEntryHash', () => {
  it('when any field or the previous hash changes, then the hash changes', () => {
    const base = auditEntryHash(buildContent(), GENESIS_HASH);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(auditEntryHash(buildContent(), GENESIS_HASH)).toBe(base);
    expect(auditEntryHash(buildContent({ outcome: 'refused' }), GENESIS_HASH)).not.toBe(base);
    expect(auditEntryHash(buildContent({ details: { reason: 'Đã xác minh.' } }), GENESIS_HASH)).not.toBe(
      base,
    );
    expect(auditEntryHash(buildContent({ at: new Date('2026-11-24T03:00:00.124Z') }), GENESIS_HASH)).not.toBe(
      base,
    );
    expect(auditEntryHash(buildContent(), 'f'.repeat(64))).not.toBe(base);
  });
});

describe('checkChainRun', () => {
  it('when the chain is untouched, then there is no break, also when checked in runs', () => {
    const chain = buildChain(5);
    expect(checkChainRun(chain, GENESIS_HASH).breaks).toEqual([]);
    const first = checkChainRun(chain.slice(0, 2), GENESIS_HASH);
    expect(checkChainRun(chain.slice(2), first.nextPrev).breaks).toEqual([]);
  });

  it('when an entry’s content is changed, then the break is at that entry', () => {
    const chain = buildChain(4);
    chain[2] = { ...chain[2]!, username: 'nguoi.khac' };
    expect(checkChainRun(chain, GENESIS_HASH).breaks).toEqual([
      { id: '3', at: chain[2]!.at, kind: 'content_changed' },
    ]);
  });

  it('when an entry is removed, then the next one no longer links', () => {
    const chain = buildChain(4);
    chain.splice(1, 1);
    expect(checkChainRun(chain, GENESIS_HASH).breaks).toEqual([
      { id: '3', at: chain[1]!.at, kind: 'link_broken' },
    ]);
  });
});
