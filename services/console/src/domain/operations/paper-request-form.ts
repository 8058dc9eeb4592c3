// A paper request (Mẫu 01/02/03, Bắc Ninh's Phụ lục 2) as the console's form carries it, flat
// field names that are the agency API's paths with dots (`items.0.person.givenName`), turned into
// the body the requests service validates; and that service's field errors (`/items/0/person/
// givenName`) turned back into the form's field names, so each error shows beside its field.
// Pure: no I/O.

export const PAPER_FORMS = ['mau01', 'mau02', 'mau03', 'bn_pl2'] as const;
export type PaperForm = (typeof PAPER_FORMS)[number];

export const PAPER_FORM_LABEL: Record<PaperForm, string> = {
  mau01: 'Mẫu 01 — cấp mới hộp thư',
  mau02: 'Mẫu 02 — thay đổi thông tin',
  mau03: 'Mẫu 03 — xóa hộp thư',
  bn_pl2: 'Bắc Ninh, Phụ lục 2 — cấp mới, tạm khóa, hủy bỏ, thay đổi',
};

/** The operation a row of each form starts with (the operator may pick another the form carries). */
export const FORM_DEFAULT_OPERATION: Record<PaperForm, string> = {
  mau01: 'create',
  mau02: 'update',
  mau03: 'delete',
  bn_pl2: 'create',
};

export const ROW_FIELDS = [
  'operation',
  'mailboxType',
  'person.familyName',
  'person.middleName',
  'person.givenName',
  'person.position',
  'person.department',
  'address',
  'changes.position',
  'changes.department',
  'reason',
] as const;

export type FormFields = Record<string, string | undefined>;

export interface PaperBody {
  agencyId: string;
  requester: { fullName: string; position?: string; phone?: string };
  reference: { number: string; date: string };
  items: Record<string, unknown>[];
  form: string;
}

const value = (fields: FormFields, name: string) => (fields[name] ?? '').trim();
const optional = (v: string) => (v === '' ? undefined : v);
const compact = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

/** The rows the operator filled (a row with nothing typed but its preset operation is left out). */
export function filledRows(fields: FormFields, rows: number): number[] {
  return Array.from({ length: rows }, (_, i) => i).filter((i) =>
    ROW_FIELDS.some(
      (f) => f !== 'operation' && f !== 'mailboxType' && value(fields, `items.${i}.${f}`) !== '',
    ),
  );
}

export function buildPaperBody(fields: FormFields, rows: number): PaperBody {
  const items = filledRows(fields, rows).map((i) => {
    const f = (name: string) => value(fields, `items.${i}.${name}`);
    const operation = f('operation');
    const person =
      operation === 'create'
        ? compact({
            familyName: f('person.familyName'),
            middleName: f('person.middleName'),
            givenName: f('person.givenName'),
            position: optional(f('person.position')),
            department: optional(f('person.department')),
          })
        : undefined;
    const changes =
      operation === 'update'
        ? compact({
            position: optional(f('changes.position')),
            department: optional(f('changes.department')),
          })
        : undefined;
    return compact({
      operation,
      mailboxType: optional(f('mailboxType')),
      person,
      address: operation === 'create' ? undefined : optional(f('address')),
      changes,
      reason: optional(f('reason')),
    });
  });
  return {
    agencyId: value(fields, 'agencyId'),
    requester: compact({
      fullName: value(fields, 'requester.fullName'),
      position: optional(value(fields, 'requester.position')),
      phone: optional(value(fields, 'requester.phone')),
    }),
    reference: { number: value(fields, 'reference.number'), date: value(fields, 'reference.date') },
    items,
    form: value(fields, 'form'),
  };
}

/**
 * The form field an API error names: `/items/1/person/givenName` of the second filled row is
 * `items.<its row>.person.givenName`; `/scan/content` is the file input `scan`. Items are
 * renumbered when rows are left out, so the API's item index maps back through `rowsSent`.
 */
export function formFieldOf(apiField: string, rowsSent: readonly number[]): string {
  const path = apiField.replace(/^\//, '').split('/');
  if (path[0] === 'scan') return 'scan';
  if (path[0] === 'items' && path[1] !== undefined && /^\d+$/.test(path[1])) {
    const row = rowsSent[Number(path[1])] ?? Number(path[1]);
    return ['items', String(row), ...path.slice(2)].join('.');
  }
  return path.join('.');
}
