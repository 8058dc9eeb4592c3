// The fuzz run itself, shared by `./hopthu fuzz` (scripts/fuzz.ts) and test/fuzz.test.ts: lists
// every route of every running service (GET /admin/routes), builds each route's inputs
// (generators.ts) from one seed, sends them with the right credentials, and reports per route:
// the answers by status class, every 5xx with its input, refused inputs whose marker was found
// in the service's database afterwards (stores.ts), inputs that should have been refused but
// were accepted, refusals that are not problem+json, and routes without a body generator.
import { serviceUrl } from '@hopthu/shared/testing';
import fc from 'fast-check';
import { adminToken, type ConsoleSession, consoleSession, fuzzAgency } from './credentials.ts';
import {
  CSRF_PLACEHOLDER,
  type FuzzInput,
  type ListedRoute,
  mustBeRefused,
  rawBytes,
  routeInputs,
} from './generators.ts';
import {
  answersProblemJson,
  authFor,
  bodyGeneratorFor,
  hasCsrf,
  isForm,
  SERVICES,
  type ServiceName,
} from './route-table.ts';
import { MarkerScanner } from './stores.ts';

export interface FuzzOptions {
  /** Inputs in all, shared out evenly across the routes (at least one each). */
  runs: number;
  seed: number;
  /** Routes fuzzed at the same time (each route's inputs go one after another). */
  concurrency?: number;
  services?: readonly ServiceName[];
  progress?: (line: string) => void;
}

export interface Finding {
  status: number;
  input: string;
  answer: string;
}

export interface RouteReport {
  service: ServiceName;
  route: string;
  runs: number;
  /** Seconds the route's inputs took. */
  seconds: number;
  /** Answers by HTTP status (599: no answer, the connection failed). */
  byStatus: Record<string, number>;
  serverErrors: Finding[];
  /** 5xx answered while a service of the stack was down for minutes (not counted as the route's). */
  whileStackDown: number;
  /** Refused inputs whose marker is in the database afterwards: partial writes or stray events. */
  leftovers: { marker: string; table: string; input: string }[];
  /** Inputs every route must refuse that were answered 2xx. */
  accepted: Finding[];
  /** 4xx answers that are not application/problem+json (the console's HTML pages excepted). */
  notProblem: Finding[];
}

export interface FuzzReport {
  seed: number;
  runs: number;
  routes: RouteReport[];
  /** `service METHOD url` of routes that take a body and have no generator (route-table.ts). */
  withoutGenerator: string[];
  unreachable: string[];
  seconds: number;
}

const MAX_EXAMPLES = 5;

function describeInput(input: FuzzInput): string {
  const body =
    input.body === undefined
      ? ''
      : typeof input.body === 'string'
        ? JSON.stringify(input.body.length > 600 ? `${input.body.slice(0, 600)}…` : input.body)
        : `bytes:${Buffer.from(input.body).toString('base64').slice(0, 400)}`;
  return `${input.method} ${input.path}${input.query ? `?${input.query.slice(0, 400)}` : ''} auth=${input.auth} mode=${input.mode} defects=[${input.defects.join('; ')}] headers=${JSON.stringify(input.headers)} body=${body}`;
}

/** Header values as the wire carries them: UTF-8 bytes read as Latin-1 (fetch takes no wider). */
const wireHeader = (v: string) => Buffer.from(v, 'utf8').toString('latin1');

async function listRoutes(service: ServiceName): Promise<ListedRoute[]> {
  const res = await fetch(`${serviceUrl(service)}/admin/routes`, {
    headers: { authorization: `Bearer ${adminToken()}` },
  });
  if (res.status !== 200) throw new Error(`${service} /admin/routes answered ${res.status}`);
  return ((await res.json()) as { routes: ListedRoute[] }).routes;
}

async function ready(service: ServiceName): Promise<boolean> {
  try {
    return (await fetch(`${serviceUrl(service)}/readyz`, { signal: AbortSignal.timeout(5000) })).ok;
  } catch {
    return false;
  }
}

/** Waits (up to two minutes) until every service answers /readyz; false if one never did. */
async function stackReady(): Promise<boolean> {
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if ((await Promise.all(SERVICES.map(ready))).every(Boolean)) return true;
    await new Promise((r) => setTimeout(r, 1000));
  }
  return false;
}

class Credentials {
  private session: Promise<ConsoleSession> | undefined;
  private agency: Promise<{ accessToken: () => Promise<string> }> | undefined;

  consoleSession() {
    this.session ??= consoleSession();
    return this.session;
  }

  renewSession() {
    this.session = consoleSession();
  }

  async agencyToken() {
    this.agency ??= fuzzAgency();
    return (await this.agency).accessToken();
  }
}

async function send(
  service: ServiceName,
  route: ListedRoute,
  input: FuzzInput,
  credentials: Credentials,
): Promise<{ status: number; contentType: string; text: string; location: string | null }> {
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(input.headers)) headers[k] = wireHeader(v);
  const auth = authFor(service, route);
  let body = input.body;
  if (input.auth === 'bad') {
    headers.authorization = 'Bearer fuzz-not-a-token';
    if (auth === 'session') headers.cookie = 'hopthu_session=fuzz-not-a-session';
  } else if (input.auth === 'good') {
    if (auth === 'admin') headers.authorization = `Bearer ${adminToken()}`;
    if (auth === 'agency') headers.authorization = `Bearer ${await credentials.agencyToken()}`;
    if (auth === 'session') {
      const session = await credentials.consoleSession();
      headers.cookie = session.cookie;
      if (typeof body === 'string') body = body.replaceAll(CSRF_PLACEHOLDER, session.csrf);
    }
  }
  if (typeof body === 'string') body = body.replaceAll(CSRF_PLACEHOLDER, 'fuzz-csrf');
  const url = `${serviceUrl(service)}${input.path}${input.query ? `?${input.query}` : ''}`;
  const res = await fetch(url, {
    method: input.method,
    headers,
    redirect: 'manual',
    signal: AbortSignal.timeout(30_000),
    ...(body === undefined ? {} : { body }),
  });
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? '',
    text: await res.text(),
    location: res.headers.get('location'),
  };
}

/** Random bytes under a JSON content type, made sure not to be valid UTF-8 JSON (see generators.ts). */
function rawBytesInput(route: ListedRoute, bytes: Uint8Array, marker: string): FuzzInput {
  let body = bytes;
  try {
    JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    body = new Uint8Array([...bytes, 0xff]);
  } catch {
    // already refused by the parser
  }
  return {
    method: route.method,
    path: route.url.replace(/:([A-Za-z0-9_]+)/g, () => '00000000-0000-4000-8000-000000000000'),
    query: '',
    headers: { 'content-type': 'application/json' },
    body,
    auth: 'good',
    mode: 'hostile',
    defects: ['raw bytes'],
    marker,
  };
}

export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = Date.now();
  const progress = options.progress ?? (() => {});
  const credentials = new Credentials();
  const scanner = new MarkerScanner();
  const report: FuzzReport = {
    seed: options.seed,
    runs: 0,
    routes: [],
    withoutGenerator: [],
    unreachable: [],
    seconds: 0,
  };

  // A service another engineer is restarting would otherwise drop out of the whole run.
  await stackReady();
  const work: { service: ServiceName; route: ListedRoute }[] = [];
  for (const service of options.services ?? SERVICES) {
    let routes: ListedRoute[];
    try {
      routes = await listRoutes(service);
    } catch (err) {
      report.unreachable.push(`${service}: ${String(err)}`);
      continue;
    }
    for (const route of routes) {
      if (!bodyGeneratorFor(route)) report.withoutGenerator.push(`${service} ${route.method} ${route.url}`);
      else work.push({ service, route });
    }
  }
  const perRoute = Math.max(1, Math.floor(options.runs / Math.max(1, work.length)));
  let extra = Math.max(0, options.runs - perRoute * work.length);

  const plans = work.map((w, index) => {
    const runs = perRoute + (extra-- > 0 ? 1 : 0);
    return { ...w, index, runs };
  });

  const runRoute = async (plan: (typeof plans)[number]) => {
    const { service, route } = plan;
    const generator = bodyGeneratorFor(route);
    if (!generator) return;
    const takesBody = ['POST', 'PUT', 'PATCH', 'DELETE'].includes(route.method) && generator.kind !== 'none';
    const arbitrary = routeInputs({
      route,
      body: generator,
      form: isForm(service, route),
      csrf: hasCsrf(service, route),
    });
    const seed = options.seed + plan.index;
    const inputs = fc.sample(arbitrary, { numRuns: plan.runs, seed });
    if (takesBody) {
      // One in twenty is raw bytes instead of a structured body.
      const bytes = fc.sample(rawBytes, { numRuns: Math.ceil(plan.runs / 20), seed: seed + 1_000_000 });
      bytes.forEach((b, i) => {
        inputs[i * 20] = rawBytesInput(route, b, inputs[i * 20]?.marker ?? 'fzm000000000000');
      });
    }
    const r: RouteReport = {
      service,
      route: `${route.method} ${route.url}`,
      runs: 0,
      seconds: 0,
      byStatus: {},
      serverErrors: [],
      whileStackDown: 0,
      leftovers: [],
      accepted: [],
      notProblem: [],
    };
    const refused = new Map<string, FuzzInput>();
    const routeStarted = Date.now();
    for (const input of inputs) {
      const attempt = async () => {
        try {
          return await send(service, route, input, credentials);
        } catch (err) {
          // The service closed the connection or did not answer: as bad as a 5xx.
          return { status: 599, contentType: '', text: String(err), location: null };
        }
      };
      let answer = await attempt();
      let stackDown = false;
      if (answer.status >= 500) {
        // Other engineers and tests restart services and PostgreSQL on this stack: a 5xx counts
        // only if it comes again once every service is ready (a fault of the input does). One
        // while a service stays down longer is counted apart, as the stack's, not the route's.
        stackDown = !(await stackReady());
        answer = await attempt();
        stackDown &&= answer.status >= 500 && !(await stackReady());
      }
      r.runs++;
      r.byStatus[answer.status] = (r.byStatus[answer.status] ?? 0) + 1;
      const finding = () => ({
        status: answer.status,
        input: describeInput(input),
        answer: answer.text.slice(0, 500),
      });
      if (stackDown) r.whileStackDown++;
      else if (answer.status >= 500) {
        if (r.serverErrors.length < MAX_EXAMPLES) r.serverErrors.push(finding());
        else r.serverErrors.push({ status: answer.status, input: '', answer: '' });
      } else if (answer.status >= 300) {
        refused.set(input.marker, input);
        if (
          answersProblemJson(service, route) &&
          answer.status >= 400 &&
          !answer.contentType.includes('application/problem+json') &&
          r.notProblem.length < MAX_EXAMPLES
        )
          r.notProblem.push(finding());
      } else if (mustBeRefused(input) && r.accepted.length < MAX_EXAMPLES) r.accepted.push(finding());
      if (
        service === 'console' &&
        input.auth === 'good' &&
        answer.status === 303 &&
        answer.location?.startsWith('/login')
      )
        credentials.renewSession(); // a fuzzed logout ended the session
    }
    r.seconds = Math.round((Date.now() - routeStarted) / 100) / 10;
    const ofService = refusedBy.get(service) ?? new Map<string, { report: RouteReport; input: string }>();
    refusedBy.set(service, ofService);
    for (const [marker, input] of refused) ofService.set(marker, { report: r, input: describeInput(input) });
    report.runs += r.runs;
    report.routes.push(r);
    progress(
      `${r.service.padEnd(11)} ${r.route.padEnd(60)} ${String(r.runs).padStart(6)} runs  ${Object.entries(
        r.byStatus,
      )
        .sort()
        .map(([k, v]) => `${k}:${v}`)
        .join(
          ' ',
        )}  5xx:${r.serverErrors.length}${r.whileStackDown ? ` (and ${r.whileStackDown} while a service was down)` : ''}  ${r.seconds} s`,
    );
  };

  // Refused inputs by service and marker; each service's tables are searched once, at the end.
  const refusedBy = new Map<ServiceName, Map<string, { report: RouteReport; input: string }>>();
  const queue = [...plans];
  const workers = Array.from({ length: Math.max(1, options.concurrency ?? 4) }, async () => {
    for (let plan = queue.shift(); plan; plan = queue.shift()) await runRoute(plan);
  });
  try {
    await Promise.all(workers);
    for (const [service, refused] of refusedBy) {
      const scanStarted = Date.now();
      const found = await scanner.markersIn(service);
      for (const [marker, table] of found) {
        const owner = refused.get(marker);
        if (owner) owner.report.leftovers.push({ marker, table, input: owner.input });
      }
      progress(
        `${service.padEnd(11)} searched every table for the markers of ${refused.size} refused inputs: ${
          [...found.keys()].filter((m) => refused.has(m)).length
        } found (${Math.round((Date.now() - scanStarted) / 1000)} s)`,
      );
    }
  } finally {
    await scanner.close();
  }
  report.routes.sort((a, b) => `${a.service} ${a.route}`.localeCompare(`${b.service} ${b.route}`));
  report.seconds = Math.round((Date.now() - started) / 1000);
  return report;
}

/** Everything wrong in a report, one line each (empty: the run passed). */
export function failuresOf(report: FuzzReport): string[] {
  const lines: string[] = [];
  for (const u of report.unreachable) lines.push(`unreachable: ${u}`);
  for (const w of report.withoutGenerator) lines.push(`no body generator (test/fuzz/route-table.ts): ${w}`);
  for (const r of report.routes) {
    for (const f of r.serverErrors.filter((e) => e.input))
      lines.push(`${r.service} ${r.route}: ${f.status} to ${f.input} → ${f.answer}`);
    if (r.serverErrors.length > MAX_EXAMPLES)
      lines.push(`${r.service} ${r.route}: ${r.serverErrors.length} answers ≥ 500 in all`);
    for (const l of r.leftovers)
      lines.push(`${r.service} ${r.route}: refused input left ${l.marker} in ${l.table}: ${l.input}`);
    for (const f of r.accepted)
      lines.push(`${r.service} ${r.route}: accepted a defective input (${f.status}): ${f.input}`);
    for (const f of r.notProblem)
      lines.push(`${r.service} ${r.route}: ${f.status} not problem+json: ${f.input}`);
  }
  return lines;
}
