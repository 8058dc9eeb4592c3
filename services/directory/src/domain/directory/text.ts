// Text helpers for the directory: NFC display names and the folded form searches compare against.
import { foldToAscii } from '@hopthu/naming';

export interface PersonNameParts {
  familyName: string;
  middleName: string;
  givenName: string;
}

/** Lowercase ASCII words separated by single spaces: "Nguyễn  Văn Á" → "nguyen van a". */
export function foldForSearch(text: string): string {
  return foldToAscii(text)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** The words of a search query, folded; empty when the query has no letters or digits. */
export function searchWords(query: string): string[] {
  const folded = foldForSearch(query);
  return folded === '' ? [] : folded.split(' ');
}

export function displayName(person: PersonNameParts): string {
  return [person.familyName, person.middleName, person.givenName]
    .map((part) => part.normalize('NFC').trim())
    .filter((part) => part !== '')
    .join(' ');
}

export function foldedPersonName(person: PersonNameParts): string {
  return foldForSearch(displayName(person));
}
