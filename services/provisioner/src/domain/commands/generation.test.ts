import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideGeneration } from './generation.ts';

describe('decideGeneration', () => {
  it('when nothing is stored, then the command applies', () => {
    expect(decideGeneration(null, 1)).toBe('apply');
    expect(decideGeneration(undefined, 7)).toBe('apply');
  });

  it('when the command is newer, then it applies; equal is current; older is stale', () => {
    expect(decideGeneration(3, 4)).toBe('apply');
    expect(decideGeneration(3, 3)).toBe('current');
    expect(decideGeneration(3, 2)).toBe('stale');
  });

  it('when any sequence of commands is applied in any order, then the newest generation wins', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 50 }), { minLength: 1, maxLength: 30 }), (gens) => {
        let stored: number | null = null;
        for (const g of gens) if (decideGeneration(stored, g) === 'apply') stored = g;
        expect(stored).toBe(Math.max(...gens));
      }),
    );
  });
});
