// Prometheus metrics (prom-client): one registry per process, served at GET /metrics by every app
// createHttpApp makes. HTTP requests are counted by one onResponse hook (route template, method,
// status). Figures that live in a database or in Kafka (outbox backlog, consumer lag, items by
// operation and outcome, deliveries, timers due) are read when Prometheus scrapes, never kept in
// memory: a service registers a read-only source with collectOnScrape and the gauge asks it.
import type { FastifyInstance } from 'fastify';
import client from 'prom-client';

/** The process's registry: what /metrics answers. */
export const metricsRegistry = new client.Registry();
client.collectDefaultMetrics({ register: metricsRegistry, prefix: 'hopthu_process_' });

const httpRequests = new client.Counter({
  name: 'hopthu_http_requests_total',
  help: 'HTTP requests answered, by method, route template and status code',
  labelNames: ['method', 'route', 'status'] as const,
  registers: [metricsRegistry],
});

const httpDuration = new client.Histogram({
  name: 'hopthu_http_request_duration_seconds',
  help: 'Time to answer an HTTP request, by method and route template',
  labelNames: ['method', 'route'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [metricsRegistry],
});

/** One value of a gauge read on scrape. */
export interface Sample {
  labels?: Record<string, string>;
  value: number;
}

type Source = () => Promise<Sample[]>;

const gauges = new Map<string, { sources: Set<Source>; labelNames: string[] }>();

/**
 * A gauge whose values are read from `read` on every scrape (a count in the database, a lag from
 * Kafka). Several sources of one name (two apps in one test process) are summed per label set; a
 * source that fails is left out of that scrape (the scrape itself still answers). Returns the
 * unregister function.
 */
export function collectOnScrape(name: string, help: string, labelNames: string[], read: Source): () => void {
  let entry = gauges.get(name);
  if (!entry) {
    const sources = new Set<Source>();
    entry = { sources, labelNames };
    gauges.set(name, entry);
    new client.Gauge({
      name,
      help,
      labelNames,
      registers: [metricsRegistry],
      async collect() {
        const totals = new Map<string, Sample>();
        const results = await Promise.allSettled([...sources].map((s) => s()));
        for (const result of results) {
          if (result.status !== 'fulfilled') continue;
          for (const sample of result.value) {
            const labels = sample.labels ?? {};
            const key = JSON.stringify(labelNames.map((l) => labels[l] ?? ''));
            const had = totals.get(key);
            totals.set(key, { labels, value: (had?.value ?? 0) + sample.value });
          }
        }
        this.reset();
        for (const sample of totals.values()) this.set(sample.labels ?? {}, sample.value);
      },
    });
  }
  entry.sources.add(read);
  return () => {
    entry.sources.delete(read);
  };
}

/** The route label of a request: its template, or `unmatched` (a 404 must not mint new series). */
function routeOf(request: { routeOptions?: { url?: string | undefined } }): string {
  return request.routeOptions?.url ?? 'unmatched';
}

/** Counts every answered request and serves GET /metrics (Prometheus text format). */
export function installHttpMetrics(app: FastifyInstance): void {
  app.addHook('onResponse', async (request, reply) => {
    const route = routeOf(request);
    if (route === '/metrics') return;
    httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  app.get('/metrics', async (_request, reply) => {
    const text = await metricsRegistry.metrics();
    return reply.type(metricsRegistry.contentType).send(text);
  });
}

/** One sample line of the Prometheus text format. */
export interface ParsedSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const SAMPLE_LINE =
  /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*",?)*)\})? (\S+)(?: (-?\d+))?$/;
const LABEL = /([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\\n]|\\[\\"n])*)"/g;
const TYPES = new Set(['counter', 'gauge', 'histogram', 'summary', 'untyped']);

/**
 * A strict reader of the Prometheus text exposition format (0.0.4): each line a HELP, a TYPE or a
 * sample with a valid name, well-escaped labels and a number; anything else throws naming the
 * line. What tests use to check that /metrics is something Prometheus will take.
 */
export function parsePrometheusText(text: string): ParsedSample[] {
  const samples: ParsedSample[] = [];
  const typed = new Set<string>();
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  lines.forEach((line, i) => {
    const where = `line ${i + 1}: ${line.slice(0, 120)}`;
    if (line.startsWith('# HELP ')) {
      const name = line.slice(7).split(' ')[0] ?? '';
      if (!METRIC_NAME.test(name)) throw new Error(`bad HELP name, ${where}`);
      return;
    }
    if (line.startsWith('# TYPE ')) {
      const [name = '', type = '', ...rest] = line.slice(7).split(' ');
      if (!METRIC_NAME.test(name) || !TYPES.has(type) || rest.length > 0)
        throw new Error(`bad TYPE, ${where}`);
      if (typed.has(name)) throw new Error(`second TYPE for ${name}, ${where}`);
      typed.add(name);
      return;
    }
    if (line === '' || line.startsWith('#')) return; // a blank line between metrics, a comment
    const m = SAMPLE_LINE.exec(line);
    if (!m) throw new Error(`not a sample, ${where}`);
    const [, name = '', labelText = '', valueText = ''] = m;
    // as Prometheus reads it (Go's ParseFloat): NaN and ±Inf in any case (prom-client writes `Nan`)
    const value = /^nan$/i.test(valueText)
      ? Number.NaN
      : /^[+-]?inf(inity)?$/i.test(valueText)
        ? (valueText.startsWith('-') ? -1 : 1) * Infinity
        : /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(valueText)
          ? Number(valueText)
          : undefined;
    if (value === undefined) throw new Error(`bad value, ${where}`);
    const labels: Record<string, string> = {};
    for (const [, key = '', raw = ''] of labelText.matchAll(LABEL)) {
      labels[key] = raw.replace(/\\(["\\n])/g, (_s, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name, labels, value });
  });
  return samples;
}

/** The sum of a metric's samples whose labels include `labels`. */
export function sampleSum(
  samples: ParsedSample[],
  name: string,
  labels: Record<string, string> = {},
): number {
  return samples
    .filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}
