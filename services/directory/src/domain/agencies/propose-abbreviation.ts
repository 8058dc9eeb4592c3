// A taken abbreviation is refused, never silently answered with the agency that holds it; the
// refusal proposes free ones by the province's rule: first the name's abbreviation with one
// syllable's initial cluster written out (Kiên Giang told Sở Ngoại vụ `sngv` from Sở Nội vụ `snv`,
// Điều 4 khoản 1), then the plain derived one, then the parent's abbreviation glued on (a flat
// province's `pnv` of one district beside another's), then a number.
import { deriveAbbreviation, deriveAbbreviationVariants, isNamingError, type UnitType } from '@hopthu/naming';

export interface AbbreviationWanted {
  name: string;
  unitType: UnitType;
  abbreviation: string;
  parentAbbreviation?: string | null | undefined;
}

const MAX_PROPOSALS = 3;

/** Candidate abbreviations in the order of the province's rule, the wanted one excluded. */
export function abbreviationCandidates(wanted: AbbreviationWanted): string[] {
  const out: string[] = [];
  const add = (candidate: string) => {
    if (candidate !== wanted.abbreviation && candidate.length <= 32 && !out.includes(candidate)) {
      out.push(candidate);
    }
  };
  try {
    for (const variant of deriveAbbreviationVariants(wanted.name, wanted.unitType, '/name')) add(variant);
    add(deriveAbbreviation(wanted.name, wanted.unitType, '/name'));
  } catch (error) {
    // a name with nothing to abbreviate proposes from the abbreviation alone
    if (!isNamingError(error)) throw error;
  }
  if (wanted.parentAbbreviation)
    add(wanted.abbreviation + wanted.parentAbbreviation.replace(/[^a-z0-9]/g, ''));
  for (let n = 1; n <= 9; n += 1) add(`${wanted.abbreviation}${n}`);
  return out;
}

/** The first free candidates (at most three), the best first. */
export function proposeAbbreviations(wanted: AbbreviationWanted, taken: ReadonlySet<string>): string[] {
  return abbreviationCandidates(wanted)
    .filter((c) => !taken.has(c))
    .slice(0, MAX_PROPOSALS);
}
