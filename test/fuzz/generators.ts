// What the fuzz suite sends: for one route (as its service lists it), structured mutations of a
// valid request — types, sizes, Unicode edge cases (NUL, lone surrogates, controls, NFD, emoji,
// bidi overrides), deep nesting, duplicate keys in raw JSON, huge numbers, wrong content types —
// and raw bytes. Shared by test/fuzz.test.ts and scripts/fuzz.ts.
//
// Every input to a route that can change something carries at least one defect every route must
// refuse (text the guard refuses, a body no parser takes, or a schema violation where the route
// has a schema), so fuzzing the shared stack never creates data; reads (GET) also get clean
// inputs with odd but storable text.
import { checkText } from '@hopthu/shared/text-guard';
import fc from 'fast-check';
import { arbitraryFor, type JsonSchema, MARKER, schemaAt } from './schema-arbitrary.ts';

export interface ListedRoute {
  method: string;
  url: string;
  schema?: { body?: JsonSchema; querystring?: JsonSchema; params?: JsonSchema; headers?: JsonSchema };
  consumes?: string[];
}

/** How a route's body is made when its schema does not say (see route-table.ts). */
export type BodyGenerator =
  | { kind: 'schema' }
  | { kind: 'none' }
  | { kind: 'custom'; value: fc.Arbitrary<Record<string, unknown>> };

export type Mode = 'hostile' | 'schema' | 'clean';

export interface FuzzInput {
  method: string;
  /** Path with its parameters filled in, percent-encoded (lone surrogates as their WTF-8 bytes). */
  path: string;
  /** Raw query string without `?`, or ''. */
  query: string;
  headers: Record<string, string>;
  body?: string | Uint8Array;
  auth: 'good' | 'none' | 'bad';
  mode: Mode;
  defects: string[];
  /** Found in every free-text string the input carries: rows holding it were written by it. */
  marker: string;
}

// ------------------------------------------------------------------ text

/** Text PostgreSQL or the mail server cannot take: the guard refuses each in any field. */
export const REFUSED_TEXT = [
  '\u0000',
  'Nguyễn\u0000Văn',
  '\ud800',
  'Lê\udfff',
  'a\udbff',
  '\u001b[31m',
  'x\u0007y',
  '\u007f',
  'a\u0085b',
  '\u0000\u0000\u0000',
] as const;

/** Odd but storable text: must never cause a 5xx either. */
export const ODD_TEXT = [
  '',
  ' ',
  '   \t',
  'Nguyễn'.normalize('NFD'),
  'ǅ',
  '🎉👩‍💻🇻🇳',
  '\u202eevil\u202c',
  '\ufeffBOM',
  '\uffff\ufffe',
  'a\u0301'.repeat(500),
  "' OR 1=1 --",
  '%_\\',
  '(a|b)*[',
  'a & b | !c:*',
  '<script>alert(1)</script>',
  '$'.concat('{jndi:ldap://x}'),
  '../../etc/passwd',
  'null',
  '0',
  '-1',
  '1e309',
  '2026-02-30',
  'Ⅻ ﬁ ＡＢＣ',
  'x'.repeat(5000),
];

const withNoise = (bad: fc.Arbitrary<string>) =>
  fc
    .tuple(bad, fc.string({ maxLength: 8 }), fc.boolean())
    .map(([b, noise, before]) => (before ? `${b}${noise}` : `${noise}${b}`));

const hostileString = withNoise(fc.constantFrom(...REFUSED_TEXT));

/**
 * Refused text for a URL (path or query): a lone surrogate has no UTF-8 form, so in a URL it is
 * bytes that do not decode; a query keeps them as the literal `%ED%A0%80` (storable) and a path is
 * refused as a whole, so only NUL and control characters are refused text there.
 */
const hostileUrlString = withNoise(fc.constantFrom(...REFUSED_TEXT.filter((t) => t.isWellFormed())));

const oddString = fc.oneof(
  fc.constantFrom(...ODD_TEXT),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => checkText(s, { name: true }) === null),
);

/** Percent-encodes text as UTF-8, a lone surrogate as the three bytes WTF-8 gives it. */
export function percentEncode(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const n = text.charCodeAt(i + 1);
      if (n >= 0xdc00 && n <= 0xdfff) {
        out += encodeURIComponent(text.slice(i, i + 2));
        i++;
        continue;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) {
      out += `%${(0xe0 | (c >> 12)).toString(16).toUpperCase()}%${(0x80 | ((c >> 6) & 0x3f)).toString(16).toUpperCase()}%${(0x80 | (c & 0x3f)).toString(16).toUpperCase()}`;
      continue;
    }
    out += encodeURIComponent(text[i] as string);
  }
  return out;
}

// ------------------------------------------------------------------ values and paths

type Path = (string | number)[];

function leaves(value: unknown, path: Path = [], out: { path: Path; value: unknown }[] = []) {
  if (Array.isArray(value)) {
    for (const [i, v] of value.entries()) leaves(v, [...path, i], out);
  } else if (value && typeof value === 'object')
    for (const [k, v] of Object.entries(value)) leaves(v, [...path, k], out);
  else out.push({ path, value });
  return out;
}

function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value;
  const [head, ...rest] = path;
  const container = (root ?? (typeof head === 'number' ? [] : {})) as Record<string | number, unknown>;
  container[head as string | number] = setAt(container[head as string | number], rest, value);
  return container;
}

function removeAt(root: unknown, path: Path) {
  const parent = path
    .slice(0, -1)
    .reduce<unknown>((v, k) => (v as Record<string | number, unknown>)?.[k], root);
  const last = path[path.length - 1];
  if (Array.isArray(parent) && typeof last === 'number') parent.splice(last, 1);
  else if (parent && typeof parent === 'object' && last !== undefined)
    delete (parent as Record<string, unknown>)[last];
}

const clone = <T>(v: T): T => (v === undefined ? v : structuredClone(v));

function nested(depth: number, inner: unknown): unknown {
  let v = inner;
  for (let i = 0; i < depth; i++) v = i % 2 ? { a: v } : [v];
  return v;
}

// ------------------------------------------------------------------ mutations

/** A mutation that keeps the text storable: types, sizes, numbers, odd Unicode, shapes. */
interface Mutation {
  name: string;
  apply(value: unknown, schema: JsonSchema | undefined, pick: number, extra: unknown): unknown;
}

const WRONG_VALUES: unknown[] = [null, true, 0, -1, 1.5, '', [], {}, 'x', [1, 'a'], { a: 1 }];
const HUGE_NUMBERS = [1e308, -1e308, 2 ** 53 + 1, -(2 ** 63), 2 ** 31, 1e-320, 1.2345678901234567e19];

function chooseLeaf(value: unknown, pick: number) {
  const all = leaves(value);
  return all.length > 0 ? all[pick % all.length] : undefined;
}

const STRUCTURAL: Mutation[] = [
  {
    name: 'wrong type at a leaf',
    apply: (v, _s, pick, extra) => {
      const leaf = chooseLeaf(v, pick);
      return leaf ? setAt(v, leaf.path, WRONG_VALUES[Number(extra) % WRONG_VALUES.length]) : v;
    },
  },
  {
    name: 'huge number at a leaf',
    apply: (v, _s, pick, extra) => {
      const leaf = chooseLeaf(v, pick);
      return leaf ? setAt(v, leaf.path, HUGE_NUMBERS[Number(extra) % HUGE_NUMBERS.length]) : v;
    },
  },
  {
    name: 'odd text at a leaf',
    apply: (v, _s, pick, extra) => {
      const leaf = chooseLeaf(v, pick);
      return leaf ? setAt(v, leaf.path, String(extra)) : v;
    },
  },
  {
    name: 'long string at a leaf',
    apply: (v, s, pick, extra) => {
      const leaf = chooseLeaf(v, pick);
      if (!leaf) return v;
      const max = schemaAt(s, leaf.path)?.maxLength ?? 1000;
      // Past the field's maxLength, or past any body limit (a few MB) where maxLength is larger.
      return setAt(v, leaf.path, 'ắ'.repeat(Math.min(max + 1 + (Number(extra) % 3) * 10_000, 2_000_000)));
    },
  },
  {
    name: 'unknown key',
    apply: (v, _s, _pick, extra) =>
      v && typeof v === 'object' && !Array.isArray(v)
        ? { ...(v as object), [`fz_${String(extra).slice(0, 20)}`]: 'x' }
        : v,
  },
  {
    name: 'missing key',
    apply: (v, _s, pick) => {
      const leaf = chooseLeaf(v, pick);
      if (leaf) removeAt(v, leaf.path);
      return v;
    },
  },
  { name: 'array instead of object', apply: (v) => [v] },
  {
    name: 'deep nesting (under the guard limit)',
    apply: (v, _s, pick) => {
      const leaf = chooseLeaf(v, pick);
      return leaf ? setAt(v, leaf.path, nested(40, 'a')) : v;
    },
  },
];

// ------------------------------------------------------------------ the input

export interface RouteInputOptions {
  route: ListedRoute;
  body: BodyGenerator;
  /** Form-encoded bodies (the console's pages, the token endpoint). */
  form: boolean;
  /** The route checks a CSRF token in the body's `_csrf`: it starts as CSRF_PLACEHOLDER. */
  csrf?: boolean;
}

/** Where the session's CSRF token goes; the runner puts the real one in at send time. */
export const CSRF_PLACEHOLDER = 'CSRFTOKENPLACEHOLDER';

const isRead = (method: string) => method === 'GET';
const takesBody = (method: string) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method);

function formEncode(value: unknown): string {
  if (!value || typeof value !== 'object') return percentEncode(String(value ?? ''));
  return Object.entries(value as Record<string, unknown>)
    .map(
      ([k, v]) =>
        `${percentEncode(k)}=${percentEncode(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))}`,
    )
    .join('&');
}

function queryEncode(value: unknown): string {
  if (!value || typeof value !== 'object') return '';
  return Object.entries(value as Record<string, unknown>)
    .flatMap(([k, v]) =>
      (Array.isArray(v) ? v : [v]).map(
        (x) => `${percentEncode(k)}=${percentEncode(typeof x === 'string' ? x : String(x))}`,
      ),
    )
    .join('&');
}

const substituteMarker = (value: unknown, marker: string): unknown => {
  if (typeof value === 'string') return value.replaceAll(MARKER, marker);
  if (Array.isArray(value)) return value.map((v) => substituteMarker(v, marker));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substituteMarker(v, marker)]));
  return value;
};

const markerArb = fc.stringMatching(/^[a-z0-9]{12}$/).map((s) => `fzm${s}`);

/** The inputs for one route (see the header for what every input carries). */
export function routeInputs(o: RouteInputOptions): fc.Arbitrary<FuzzInput> {
  const { route } = o;
  const paramNames = [...route.url.matchAll(/:([A-Za-z0-9_]+)/g)].map((m) => m[1] as string);
  const paramsArb = fc.record(
    Object.fromEntries(
      paramNames.map((name) => {
        const s = route.schema?.params?.properties?.[name];
        return [
          name,
          fc.oneof(s ? arbitraryFor(s) : fc.uuid(), fc.uuid(), fc.constantFrom('0', 'x', 'canbo.khong-co')),
        ];
      }),
    ),
  );
  const queryArb = route.schema?.querystring ? arbitraryFor(route.schema.querystring) : fc.constant({});
  const bodyArb: fc.Arbitrary<unknown> =
    o.body.kind === 'schema'
      ? arbitraryFor(route.schema?.body)
      : o.body.kind === 'custom'
        ? o.body.value
        : fc.constant(undefined);
  const hasBody = takesBody(route.method) && o.body.kind !== 'none';
  const modes: Mode[] = isRead(route.method)
    ? ['hostile', 'hostile', 'schema', 'clean']
    : hasBody && o.body.kind === 'schema' && route.schema?.body && !o.form
      ? ['hostile', 'hostile', 'schema']
      : ['hostile'];
  const idempotent = Boolean(route.schema?.headers?.properties?.['idempotency-key']);

  return fc
    .record({
      marker: markerArb,
      params: paramsArb,
      query: queryArb,
      body: bodyArb,
      mode: fc.constantFrom(...modes),
      textTarget: fc.nat(),
      textPart: fc.nat(),
      hostile: hostileString,
      hostileUrl: hostileUrlString,
      odd: oddString,
      mutations: fc.array(fc.tuple(fc.nat(STRUCTURAL.length - 1), fc.nat(), fc.nat(), oddString), {
        maxLength: 3,
      }),
      transport: fc.nat(9),
      auth: fc.constantFrom<FuzzInput['auth']>(
        'good',
        'good',
        'good',
        'good',
        'good',
        'good',
        'good',
        'good',
        'none',
        'bad',
      ),
      idempotencyKey: fc.oneof(fc.uuid(), fc.constantFrom('k\u0085', 'x'.repeat(201), '', 'Khóa-ố')),
      duplicateQuery: fc.boolean(),
    })
    .map((g) => {
      const defects: string[] = [];
      let body = clone(substituteMarker(g.body, g.marker));
      if (o.csrf && hasBody) {
        body = body && typeof body === 'object' && !Array.isArray(body) ? body : {};
        (body as Record<string, unknown>)._csrf = CSRF_PLACEHOLDER;
      }
      let query = clone(substituteMarker(g.query, g.marker)) as Record<string, unknown>;
      const params = { ...(g.params as Record<string, string>) };
      let rawBody: string | Uint8Array | undefined;
      let contentType: string | undefined;

      // Storable mutations, any mode: where they land depends on what the route takes.
      for (const [which, pick, extra, odd] of g.mutations) {
        const m = STRUCTURAL[which] as Mutation;
        if (hasBody && (g.mode !== 'clean' || !isRead(route.method))) {
          body = m.apply(body, route.schema?.body, pick, m.name === 'odd text at a leaf' ? odd : extra);
          defects.push(`body: ${m.name}`);
        } else if (m.name === 'odd text at a leaf' || m.name === 'unknown key') {
          query = m.apply(query, route.schema?.querystring, pick, odd) as Record<string, unknown>;
          defects.push(`query: ${m.name}`);
        }
      }

      if (g.mode === 'schema') {
        // At least one violation the schema must refuse: a value of the wrong type.
        if (hasBody && route.schema?.body) {
          const typed = leaves(body).filter((l) => schemaAt(route.schema?.body, l.path)?.type);
          const leaf = typed[g.textTarget % Math.max(1, typed.length)];
          const expected = leaf ? schemaAt(route.schema?.body, leaf.path)?.type : undefined;
          if (leaf) body = setAt(body, leaf.path, expected === 'string' ? { wrong: [1] } : 'not-a-number');
          else body = [body];
          defects.push('body: schema violation');
        } else {
          query = { ...query, [`fz${g.marker}`]: ['a', 'b'] };
          defects.push('query: repeated unknown key');
        }
      }

      if (g.mode === 'hostile') {
        const part = hasBody ? 'body' : paramNames.length > 0 && g.textPart % 3 === 0 ? 'params' : 'query';
        const transport = hasBody && g.transport < 4;
        if (transport) {
          const json = JSON.stringify(body ?? {});
          switch (g.transport) {
            case 0:
              rawBody = json;
              contentType = [
                'text/plain',
                'multipart/form-data; boundary=x',
                'application/xml',
                'application/x-fuzz-unknown',
              ][g.textPart % 4];
              defects.push(`content type ${contentType}`);
              break;
            case 1: {
              // Legacy TCVN3/VNI text or binary: not UTF-8.
              const bytes = new TextEncoder().encode(json);
              const bad = new Uint8Array(bytes.length + 3);
              bad.set(bytes);
              bad.set(
                [0xc3, 0x28, 0xff],
                Math.min(bytes.length, 1 + (g.textPart % Math.max(1, bytes.length - 1))),
              );
              rawBody = bad;
              contentType = o.form ? 'application/x-www-form-urlencoded' : 'application/json';
              defects.push('invalid UTF-8');
              break;
            }
            case 2:
              rawBody =
                json.slice(0, Math.max(1, json.length - 1 - (g.textPart % 3))) + (g.textPart % 2 ? ',' : '{');
              defects.push('malformed JSON');
              break;
            default: {
              // The same key twice: JSON.parse keeps the last, which carries refused text.
              const keys = body && typeof body === 'object' && !Array.isArray(body) ? Object.keys(body) : [];
              const key = keys[g.textPart % Math.max(1, keys.length)] ?? 'name';
              const obj = json.startsWith('{') ? json : '{}';
              rawBody = `${obj.slice(0, -1)}${obj.length > 2 ? ',' : ''}${JSON.stringify(key)}:${JSON.stringify(g.hostile)}}`;
              contentType = 'application/json';
              defects.push(`duplicate key ${key} with refused text`);
            }
          }
        } else if (part === 'body') {
          // A form carries only top-level strings (anything deeper is JSON text in a field).
          const strings = leaves(body).filter(
            (l) => typeof l.value === 'string' && (!o.form || l.path.length === 1),
          );
          const leaf = strings[g.textTarget % Math.max(1, strings.length)];
          if (g.transport === 9 && !o.form) {
            body = setAt(body ?? {}, leaf?.path ?? ['fz'], nested(65 + (g.textTarget % 300), 'a'));
            defects.push('nesting deeper than anything takes');
          } else if (leaf) {
            body = setAt(body, leaf.path, g.hostile);
            defects.push(`refused text at /${leaf.path.join('/')}`);
          } else {
            body =
              body && typeof body === 'object' && !Array.isArray(body)
                ? { ...body, fz: g.hostile }
                : { fz: g.hostile };
            defects.push('refused text in an added field');
          }
        } else if (part === 'params') {
          const name = paramNames[g.textTarget % paramNames.length] as string;
          params[name] = g.textPart % 5 === 1 ? g.hostile : g.hostileUrl;
          defects.push(`refused text in :${name}`);
        } else {
          const keys = Object.keys(query);
          const key =
            keys.length > 0 && g.textTarget % 2 === 0 ? (keys[g.textTarget % keys.length] as string) : 'q';
          query = { ...query, [key]: g.hostileUrl };
          defects.push(`refused text in query ${key}`);
        }
      }

      if (g.mode === 'clean' && g.mutations.length === 0) {
        const keys = Object.keys(query);
        if (keys.length > 0) query = { ...query, [keys[g.textTarget % keys.length] as string]: g.odd };
        defects.push('odd text');
      }

      if (g.duplicateQuery && Object.keys(query).length > 0) {
        const key = Object.keys(query)[0] as string;
        query = { ...query, [key]: [query[key], g.odd] };
        defects.push(`query ${key} twice`);
      }

      const headers: Record<string, string> = {};
      if (idempotent) {
        headers['idempotency-key'] = g.idempotencyKey;
        if (!/^[\x21-\x7e]{1,200}$/.test(g.idempotencyKey)) defects.push('odd Idempotency-Key');
      }
      if (rawBody === undefined && hasBody && body !== undefined) {
        if (o.form) {
          rawBody = formEncode(body);
          contentType = 'application/x-www-form-urlencoded';
        } else {
          rawBody = JSON.stringify(body);
          contentType = 'application/json';
        }
      }
      if (contentType) headers['content-type'] = contentType;

      const path = route.url.replace(/:([A-Za-z0-9_]+)/g, (_m, name: string) =>
        percentEncode(String(params[name] ?? 'x')),
      );
      return {
        method: route.method,
        path,
        query: queryEncode(query),
        headers,
        ...(rawBody !== undefined ? { body: rawBody } : {}),
        auth: g.auth,
        mode: g.mode,
        defects,
        marker: g.marker,
      } satisfies FuzzInput;
    });
}

/**
 * Whether every route must refuse the input: refused text, a body no parser takes, or (on a route
 * that changes something) a schema violation. Clean reads, and schema-mode reads whose only defect
 * may be an unknown query key a route tolerates, may be answered.
 */
export const mustBeRefused = (input: FuzzInput) =>
  input.mode === 'hostile' || (input.mode === 'schema' && input.method !== 'GET');

/** A raw-bytes input for any route: random bytes under a JSON content type. */
export const rawBytes = fc.uint8Array({ minLength: 1, maxLength: 2048 });
