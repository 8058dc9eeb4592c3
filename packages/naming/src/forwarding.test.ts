import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isStateBodyDomain, judgeForwardingTarget } from './forwarding.ts';
import { getPolicy, listPolicies } from './policies/registry.ts';

const bacNinh = getPolicy('bac-ninh');
const local = fc.stringMatching(/^[a-z][a-z0-9.]{0,15}[a-z0-9]$/);
const label = fc.stringMatching(/^[a-z][a-z0-9-]{0,10}[a-z0-9]$/);
const outsideDomain = fc
  .array(label, { minLength: 1, maxLength: 3 })
  .chain((labels) =>
    fc.constantFrom('com', 'vn', 'net', 'com.vn', 'org').map((tld) => [...labels, tld].join('.')),
  )
  .filter((d) => !isStateBodyDomain(d) && d !== bacNinh.domain);

describe('judgeForwardingTarget (Bắc Ninh Điều 8 khoản 5)', () => {
  it('when Bắc Ninh forwards to a private mailbox, then it is refused naming the article in both languages', () => {
    const verdict = judgeForwardingTarget(bacNinh, 'nguoidung@gmail.com');
    expect(verdict).toMatchObject({ allowed: false, article: 'Điều 8 khoản 5' });
    if (verdict.allowed) throw new Error('unreachable');
    expect(verdict.message.vi).toContain('Điều 8 khoản 5');
    expect(verdict.message.en).toContain('Điều 8 khoản 5');
    expect(verdict.message.vi).toContain('nguoidung@gmail.com');
  });

  it("when the target is in the province's domain, an extra province domain or a state body's domain, then it is allowed", () => {
    expect(judgeForwardingTarget(bacNinh, 'vanthu.stttt@bacninh.gov.vn')).toEqual({ allowed: true });
    expect(judgeForwardingTarget(bacNinh, 'a@bacgiang.gov.vn')).toEqual({ allowed: true });
    expect(judgeForwardingTarget(bacNinh, 'a@mic.gov.vn')).toEqual({ allowed: true });
    expect(judgeForwardingTarget(bacNinh, 'a@bacninh.vn', ['bacninh.vn'])).toEqual({ allowed: true });
  });

  it('when the address is malformed, then it is refused (nobody can tell who issued it)', () => {
    for (const bad of ['khongcoacong', 'a@', '@bacninh.gov.vn'])
      expect(judgeForwardingTarget(bacNinh, bad).allowed).toBe(false);
  });

  it('when a domain only looks like gov.vn, then it is not a state body’s', () => {
    expect(isStateBodyDomain('gov.vn')).toBe(true);
    expect(isStateBodyDomain('Hanoi.GOV.VN.')).toBe(true);
    expect(isStateBodyDomain('notgov.vn')).toBe(false);
    expect(isStateBodyDomain('gov.vn.evil.com')).toBe(false);
    expect(judgeForwardingTarget(bacNinh, 'x@fakegov.vn').allowed).toBe(false);
  });

  it('property: a province without the rule allows every address', () => {
    const without = listPolicies().filter((p) => !p.forwarding);
    expect(without.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(fc.constantFrom(...without), local, outsideDomain, (policy, l, d) => {
        expect(judgeForwardingTarget(policy, `${l}@${d}`)).toEqual({ allowed: true });
      }),
    );
  });

  it("property: under the rule, any address in the province's domains or under gov.vn is allowed, whatever its case", () => {
    fc.assert(
      fc.property(
        local,
        fc.oneof(
          fc.constant(bacNinh.domain),
          label.map((l) => `${l}.gov.vn`),
        ),
        (l, d) => {
          expect(judgeForwardingTarget(bacNinh, `${l}@${d}`).allowed).toBe(true);
          expect(judgeForwardingTarget(bacNinh, `${l}@${d}`.toUpperCase()).allowed).toBe(true);
        },
      ),
    );
  });

  it('property: under the rule, any address outside them is refused with the article, and naming it as a province domain allows it', () => {
    fc.assert(
      fc.property(local, outsideDomain, (l, d) => {
        const verdict = judgeForwardingTarget(bacNinh, `${l}@${d}`);
        expect(verdict).toMatchObject({ allowed: false, article: bacNinh.forwarding?.article });
        expect(judgeForwardingTarget(bacNinh, `${l}@${d}`, [d]).allowed).toBe(true);
      }),
    );
  });
});
