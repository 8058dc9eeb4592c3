// Valid values for a route's JSON Schema (the TypeBox schema its /admin/routes listing carries),
// as fast-check arbitraries: the starting point the fuzz suite mutates, so a new route with a
// schema is fuzzed without anyone writing a generator for it. Every free-text string carries the
// input's marker, so rows a refused input left behind can be found afterwards (stores.ts).
import fc from 'fast-check';

export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  pattern?: string;
  format?: string;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  default?: unknown;
}

/** The placeholder a generated free-text string carries; replaced by the input's marker. */
export const MARKER = '\u2063MARK\u2063';

/** Ordinary text a government system sends: Vietnamese in NFC and NFD, minority letters, codes. */
const ORDINARY = [
  'Nguyễn Văn An',
  'Sở Thông tin và Truyền thông',
  'Trần Thị Bình'.normalize('NFD'),
  'Phòng Công nghệ thông tin',
  "H'Hen Niê",
  'Êban Y Đhăm',
  'Chuyên viên',
  '123/STTTT-VP',
  'stttt',
  'a',
];

const ALWAYS_TEXT_FORMATS = new Set(['', undefined]);

function stringArbitrary(s: JsonSchema): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? 200;
  const sized = (v: string) => {
    let out = v.slice(0, max);
    while (out.length < min) out += 'a';
    return out;
  };
  switch (s.format) {
    case 'uuid':
      return fc.uuid();
    case 'email':
      return fc.constantFrom('tvanh.stttt@bacninh.gov.vn', 'fuzz@example.invalid', 'a@b.vn');
    case 'date':
      return fc.constantFrom('2026-11-20', '2026-12-31', '1990-05-17');
    case 'date-time':
      return fc.constantFrom('2026-11-20T08:00:00Z', '2026-12-03T00:00:00+07:00');
    case 'uri':
      return fc.constantFrom('https://example.invalid/hook', 'http://127.0.0.1:9/x');
  }
  if (s.pattern) {
    let re: RegExp;
    try {
      re = new RegExp(s.pattern, 'u');
    } catch {
      return fc.constant(sized('a'));
    }
    return fc.stringMatching(re).filter((v) => v.length >= min && v.length <= max);
  }
  if (!ALWAYS_TEXT_FORMATS.has(s.format)) return fc.constant(sized('a'));
  // Free text: ordinary words plus the marker where it fits.
  return fc.constantFrom(...ORDINARY).map((v) => {
    const marked = `${v} ${MARKER}`;
    return marked.length <= max ? (marked.length >= min ? marked : sized(marked)) : sized(v);
  });
}

function numberArbitrary(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + 1 : 0);
  const max = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - 1 : Math.max(min, 1000));
  return integer
    ? fc.integer({ min: Math.ceil(min), max: Math.max(Math.ceil(min), Math.floor(max)) })
    : fc.double({ min, max: Math.max(min, max), noNaN: true, noDefaultInfinity: true });
}

/** Values valid for `schema` (as far as JSON Schema says; rules beyond it are the route's). */
export function arbitraryFor(schema: JsonSchema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 8) return fc.constant('a');
  if (schema.const !== undefined) return fc.constant(schema.const);
  if (schema.enum && schema.enum.length > 0) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives && alternatives.length > 0)
    return fc.oneof(...alternatives.map((a) => arbitraryFor(a, depth + 1)));
  if (schema.allOf && schema.allOf.length > 0)
    return arbitraryFor(Object.assign({}, ...schema.allOf), depth + 1);
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  switch (type) {
    case 'string':
      return stringArbitrary(schema);
    case 'integer':
      return numberArbitrary(schema, true);
    case 'number':
      return numberArbitrary(schema, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const min = schema.minItems ?? 0;
      const max = Math.max(min, Math.min(schema.maxItems ?? 3, 3));
      return fc.array(arbitraryFor(schema.items, depth + 1), { minLength: min, maxLength: max });
    }
    case 'object':
    case undefined: {
      if (!schema.properties) return type === 'object' ? fc.constant({}) : fc.constant('a');
      const required = new Set(schema.required ?? []);
      const record: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [key, prop] of Object.entries(schema.properties))
        record[key] = arbitraryFor(prop, depth + 1);
      return fc.record(record, { requiredKeys: [...required].filter((k) => k in record) });
    }
    default:
      return fc.constant('a');
  }
}

/** The schema of the value at `path` inside `schema`, where the schema says (properties, items). */
export function schemaAt(
  schema: JsonSchema | undefined,
  path: readonly (string | number)[],
): JsonSchema | undefined {
  let s = schema;
  for (const segment of path) {
    if (!s) return undefined;
    if (typeof segment === 'number') s = s.items;
    else s = s.properties?.[segment];
  }
  return s;
}
