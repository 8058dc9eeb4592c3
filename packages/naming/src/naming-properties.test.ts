// Properties that must hold for every input, not just the regulations' examples: every candidate is
// a valid local part, candidates are distinct, the answer is deterministic, and an assigned or
// proposed address is never taken, reserved or recently retired.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseAddress, chooseAddresses, generateCandidates, type NamingInput } from './choose.ts';
import { isValidLocalPart } from './fold.ts';
import { takeFirst } from './personal.ts';
import { listPolicies } from './policies/registry.ts';
import { UNIT_TYPES, type UnitType } from './policies/policy-types.ts';

const LETTERS = [
  ...'aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ',
];
const syllable = fc
  .array(fc.constantFrom(...LETTERS, 'č', 'ŭ', "'", '\u2019'), { minLength: 1, maxLength: 6 })
  .map((chars) => chars.join(''))
  .filter((s) => /\p{L}/u.test(s.replace(/['\u2019]/g, '')))
  .map((s) => (s[0] === "'" || s[0] === '\u2019' ? `h${s}` : s))
  .map((s) => s.charAt(0).toUpperCase() + s.slice(1));
const words = (min: number, max: number) =>
  fc.array(syllable, { minLength: min, maxLength: max }).map((parts) => parts.join(' '));
const token = fc.stringMatching(/^[a-z][a-z0-9]{0,7}$/);
const policy = fc.constantFrom(...listPolicies());

const personalInput: fc.Arbitrary<NamingInput> = fc.record({
  kind: fc.constant('personal' as const),
  person: fc.record({
    familyName: words(1, 2),
    middleName: words(0, 3),
    givenName: words(1, 2),
    rank: fc.option(fc.integer({ min: 1, max: 5 }), { nil: undefined }),
  }),
  agency: token,
  district: fc.option(words(1, 2), { nil: undefined }),
});

const unitOf = (types: readonly UnitType[]) =>
  fc.record({
    name: words(1, 5),
    type: fc.constantFrom(...types),
    abbreviation: fc.option(token, { nil: undefined }),
  });
// Any unit under a parent that needs no parent of its own (a commune's parent must have its district).
const unitInput: fc.Arbitrary<NamingInput> = fc.record({
  kind: fc.constant('unit' as const),
  unit: unitOf(UNIT_TYPES),
  parent: unitOf(['agency', 'department', 'subunit', 'district', 'city']),
});
const anyInput = fc.oneof(personalInput, unitInput);

/** A taken set drawn partly from the input's own first candidates, so collisions really happen. */
function takenFrom(candidates: string[], picks: boolean[], extra: string[]): Set<string> {
  return new Set([...candidates.filter((_, i) => picks[i % Math.max(picks.length, 1)]), ...extra]);
}

describe('naming properties', () => {
  it('every candidate is a valid local part and candidates are distinct', () => {
    fc.assert(
      fc.property(policy, anyInput, (p, input) => {
        const candidates = takeFirst(generateCandidates(p, input), 60);
        expect(candidates.length).toBeGreaterThan(0);
        for (const local of candidates) expect(isValidLocalPart(local), local).toBe(true);
        expect(new Set(candidates).size).toBe(candidates.length);
      }),
      { numRuns: 300 },
    );
  });

  it('the answer is deterministic and never taken, reserved or retired', () => {
    fc.assert(
      fc.property(
        policy,
        anyInput,
        fc.array(fc.boolean(), { minLength: 1, maxLength: 12 }),
        fc.array(token, { maxLength: 5 }),
        (p, input, picks, extra) => {
          const taken = takenFrom(takeFirst(generateCandidates(p, input), 12), picks, extra);
          const isTaken = (local: string) => taken.has(local);
          const first = chooseAddress(p, input, isTaken);
          expect(chooseAddress(p, input, isTaken)).toEqual(first);
          if (first.outcome === 'assigned') {
            expect(isValidLocalPart(first.local)).toBe(true);
            expect(taken.has(first.local)).toBe(false);
            expect(p.reserved).not.toContain(first.local);
            expect(first.address).toBe(`${first.local}@${p.domain}`);
          } else if (first.outcome === 'operator') {
            expect(first.candidates.length).toBeGreaterThan(0);
            expect(new Set(first.candidates).size).toBe(first.candidates.length);
            for (const local of first.candidates) {
              expect(isValidLocalPart(local)).toBe(true);
              expect(taken.has(local) || p.reserved.includes(local)).toBe(false);
            }
          } else {
            throw new Error(`unexpected error ${JSON.stringify(first.error)}`);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('where the province numbers or letters people, the first free candidate is assigned', () => {
    const automatic = listPolicies().filter((p) => p.collision.kind !== 'operator');
    fc.assert(
      fc.property(
        fc.constantFrom(...automatic),
        personalInput,
        fc.integer({ min: 0, max: 30 }),
        (p, input, count) => {
          const candidates = takeFirst(generateCandidates(p, input), count + 1);
          const taken = new Set(candidates.slice(0, count));
          const choice = chooseAddress(p, input, (local) => taken.has(local));
          expect(choice).toMatchObject({ outcome: 'assigned', local: candidates[count] });
        },
      ),
    );
  });

  it('within one request, no two items are assigned the same address', () => {
    fc.assert(
      fc.property(policy, fc.array(anyInput, { maxLength: 8 }), (p, inputs) => {
        // Repeat the inputs so that identical names really meet.
        const choices = chooseAddresses(p, [...inputs, ...inputs]);
        const assigned = choices.flatMap((c) => (c.outcome === 'assigned' ? [c.local] : []));
        expect(new Set(assigned).size).toBe(assigned.length);
      }),
      { numRuns: 200 },
    );
  });
});
