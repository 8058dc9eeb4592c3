import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILT_IN_POLICIES } from './approval-policies.ts';
import { loadApprovalPolicies, mergeApprovalPolicies } from './approval-policy-file.ts';
import { planApprovals } from './approval-policy.ts';

const AGENCY_DELETE = { operation: 'delete', mailboxType: 'agency', approval: 'two_operators' } as const;

const byProvince = (policies: { province: string }[], province: string) =>
  policies.find((p) => p.province === province);

function writeTemp(content: string) {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'approval-')), 'policies.json');
  writeFileSync(file, content);
  return file;
}

describe('approval policy file', () => {
  it('when a province overrides some fields, then those replace the built-in ones and the rest is kept', () => {
    const merged = mergeApprovalPolicies({
      policies: [
        {
          province: 'kien-giang',
          rules: [
            { operation: 'delete', mailboxType: 'agency', approval: 'two_operators' },
            { operation: '*', mailboxType: 'personal', approval: 'auto' },
          ],
        },
        { province: 'thanh-hoa', bulkDeleteThreshold: 3 },
      ],
    });
    const kienGiang = byProvince(merged, 'kien-giang')!;
    expect(kienGiang).toMatchObject({ fallback: 'operator', bulkDeleteThreshold: 10 });
    expect(
      planApprovals(kienGiang as never, [
        { operation: 'create', mailboxType: 'personal' },
        { operation: 'create', mailboxType: 'agency' },
      ]),
    ).toEqual(['auto', 'operator']);
    expect(byProvince(merged, 'thanh-hoa')).toEqual({
      ...byProvince([...BUILT_IN_POLICIES], 'thanh-hoa'),
      bulkDeleteThreshold: 3,
    });
    // Untouched provinces stay as built.
    expect(byProvince(merged, 'bac-ninh')).toEqual(byProvince([...BUILT_IN_POLICIES], 'bac-ninh'));
  });

  it('when the file names a new province, then it is merged over the strictest policy', () => {
    const merged = mergeApprovalPolicies({
      policies: [
        {
          province: 'ha-noi',
          rules: [AGENCY_DELETE, { operation: 'reset_password', mailboxType: '*', approval: 'auto' }],
        },
      ],
    });
    expect(byProvince(merged, 'ha-noi')).toEqual({
      province: 'ha-noi',
      rules: [AGENCY_DELETE, { operation: 'reset_password', mailboxType: '*', approval: 'auto' }],
      fallback: 'operator',
      bulkDeleteThreshold: 10,
    });
  });

  it('when the file would let an agency-mailbox delete through with fewer than two operators, then it is refused', () => {
    expect(() =>
      mergeApprovalPolicies({
        policies: [{ province: 'bac-ninh', rules: [{ operation: '*', mailboxType: '*', approval: 'auto' }] }],
      }),
    ).toThrow(/policies\/0 \(bac-ninh\): deleting an agency mailbox must need two operators/);
    // Rules that leave it out fall back to one operator: refused too.
    expect(() =>
      mergeApprovalPolicies({
        policies: [
          { province: 'dak-nong', rules: [{ operation: 'create', mailboxType: '*', approval: 'auto' }] },
        ],
      }),
    ).toThrow(/dak-nong.*two operators/);
  });

  it('when the file raises the bulk-delete threshold above 10, then it is refused', () => {
    expect(() =>
      mergeApprovalPolicies({ policies: [{ province: 'bac-ninh', bulkDeleteThreshold: 11 }] }),
    ).toThrow(/\/policies\/0\/bulkDeleteThreshold/);
  });

  it('when the file does not match the schema, then every problem is named by its path', () => {
    let message = '';
    try {
      mergeApprovalPolicies({
        policies: [
          {
            province: 'Bac Ninh',
            rules: [{ operation: 'merge', mailboxType: 'personal', approval: 'auto' }],
          },
          { province: 'bac-ninh', note: 'x' },
        ],
      });
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toContain('invalid approval policies');
    expect(message).toContain('/policies/0/province');
    expect(message).toContain('/policies/0/rules/0/operation: must be one of');
    expect(message).toContain('/policies/1/note');
  });

  it('when a province is given twice, then it is refused', () => {
    expect(() =>
      mergeApprovalPolicies({
        policies: [
          { province: 'bac-ninh', bulkDeleteThreshold: 5 },
          { province: 'bac-ninh', bulkDeleteThreshold: 6 },
        ],
      }),
    ).toThrow(/given twice/);
  });

  it('when no file is named, then the built-in policies are in force', () => {
    expect(loadApprovalPolicies(undefined).list()).toEqual(BUILT_IN_POLICIES);
  });

  it('when the file is read at start, then its policies are in force; an unreadable or malformed file stops with its name', () => {
    const good = writeTemp(JSON.stringify({ policies: [{ province: 'khanh-hoa', bulkDeleteThreshold: 2 }] }));
    expect(loadApprovalPolicies(good).policyFor('khanh-hoa').bulkDeleteThreshold).toBe(2);
    const bad = writeTemp('{ "policies": [ ');
    expect(() => loadApprovalPolicies(bad)).toThrow(`APPROVAL_POLICY_FILE ${bad}`);
    expect(() => loadApprovalPolicies(path.join(tmpdir(), 'no-such-policy-file.json'))).toThrow(
      /APPROVAL_POLICY_FILE .*no-such-policy-file/,
    );
  });
});
