// The suffixes a collision strategy tries after the name part, in order; the first is always ''
// (the plain form). Numbers for Bắc Ninh and Kiên Giang (1, 2, 3…), letters for Đắk Nông (a, b…
// z, aa, ab…), numbered proposals where an operator decides (Thanh Hóa, Khánh Hòa).
import type { CollisionStrategy } from './policies/policy-types.ts';

export function* generateCollisionSuffixes(strategy: CollisionStrategy): Generator<string> {
  yield '';
  if (strategy.kind === 'letters') {
    for (let n = 1; ; n++) yield toLetters(n);
  }
  for (let n = strategy.start; ; n++) {
    if (n === 0) continue; // '0' would read as part of a name; the plain form already took the first slot
    yield String(n);
  }
}

/** Bijective base 26: 1 → a, 26 → z, 27 → aa, 28 → ab. */
export function toLetters(n: number): string {
  let rest = n;
  let letters = '';
  while (rest > 0) {
    const digit = (rest - 1) % 26;
    letters = String.fromCharCode(97 + digit) + letters;
    rest = Math.floor((rest - 1) / 26);
  }
  return letters;
}
