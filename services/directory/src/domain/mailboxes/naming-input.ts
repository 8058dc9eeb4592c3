// Pure glue between the directory's rows and @hopthu/naming's inputs.
import type { NamingInput, UnitDescription, UnitType } from '@hopthu/naming';
import type { Operation, ProvisioningAction } from '@hopthu/shared/events';

export interface AgencyLike {
  name: string;
  abbreviation: string;
  unitType: string;
}

/**
 * The naming input for an agency's own mailbox from its lineage (the agency first, then its parent,
 * grandparent…). `mailboxName` is a local part chosen for it (by the agency or an operator).
 */
export function unitNamingInput(lineage: readonly AgencyLike[], mailboxName?: string | null): NamingInput {
  const [self, ...ancestors] = lineage;
  if (!self) throw new Error('unitNamingInput needs the agency itself');
  const describe = (agency: AgencyLike, parent: UnitDescription | null): UnitDescription => ({
    name: agency.name,
    type: agency.unitType as UnitType,
    abbreviation: agency.abbreviation,
    parent,
  });
  let parent: UnitDescription | null = null;
  for (const ancestor of [...ancestors].reverse()) parent = describe(ancestor, parent);
  const unit = describe(self, parent);
  if (mailboxName != null && mailboxName.trim() !== '') unit.mailboxName = mailboxName;
  return { kind: 'unit', unit, parent };
}

/**
 * The agency part of a personal address: the local part of the agency's own mailbox where it has
 * one (a sub-unit's `ttcntttt.stttt`, a district department's `phong.huyen`), else its abbreviation.
 */
export function agencyPartForPerson(
  agency: { abbreviation: string },
  officialLocalPart: string | null,
): string {
  return officialLocalPart ?? agency.abbreviation;
}

export function personalNamingInput(
  person: { familyName: string; middleName: string; givenName: string },
  agencyPart: string,
): NamingInput {
  return {
    kind: 'personal',
    person: { familyName: person.familyName, middleName: person.middleName, givenName: person.givenName },
    agency: agencyPart,
  };
}

/** The provisioning action an item's operation becomes (update: `rename`, the one that can change an address). */
export function actionForOperation(operation: Operation): ProvisioningAction {
  switch (operation) {
    case 'create':
      return 'create';
    case 'suspend':
      return 'suspend';
    case 'restore':
      return 'restore';
    case 'restore_deleted':
      return 'restore_deleted';
    case 'delete':
      return 'delete';
    case 'reset_password':
      return 'set_password';
    case 'update':
    case 'rename_unit':
      return 'rename';
    case 'dissolve_unit':
      return 'delete';
    case 'add_alias':
      return 'set_alias';
    case 'remove_alias':
    case 'clear_forward':
      return 'remove_alias';
    case 'set_forward':
      return 'set_alias';
  }
}

/** Splits `local@domain` (lowercased); null when it is not one address. */
export function splitAddress(address: string): { localPart: string; domain: string } | null {
  const trimmed = address.trim().toLowerCase();
  const at = trimmed.lastIndexOf('@');
  if (at <= 0 || at === trimmed.length - 1) return null;
  return { localPart: trimmed.slice(0, at), domain: trimmed.slice(at + 1) };
}
