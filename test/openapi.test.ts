// Every service's HTTP API as other systems read it: /docs/json of each running service passes
// Redocly's recommended rules with no error, every operation says what it does (a route added
// without a schema and summary fails here), and every route the service serves is in its document.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { adminFetch, repoRoot, serviceUrl } from '@hopthu/shared/testing';
import { describe, expect, it } from 'vitest';
import { API_CONTRACTS, apiTypes } from '../packages/shared/src/generated/generate.ts';

const run = promisify(execFile);
const SERVICES = ['requests', 'directory', 'provisioner', 'notifier', 'console'] as const;
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];

type Operation = { summary?: string; operationId?: string; 'x-hopthu-undescribed'?: boolean };
type Document = { paths: Record<string, Record<string, Operation>> };

/** Routes that are the service's plumbing or pages, not its API. */
function isApiRoute(service: string, url: string): boolean {
  if (url === '/healthz' || url === '/readyz' || url === '/admin/routes' || url === '/metrics') return false;
  if (url === '/docs' || url.startsWith('/docs/')) return false;
  if (service === 'console') return url.startsWith('/admin/');
  if (service === 'requests' && url.startsWith('/doi-mat-khau')) return false;
  return true;
}

const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

async function documentOf(service: string): Promise<Document> {
  const res = await fetch(`${serviceUrl(service)}/docs/json`);
  expect(res.status, `${service} /docs/json`).toBe(200);
  return (await res.json()) as Document;
}

describe.each(SERVICES)('the %s API description', (service) => {
  it('when Redocly lints /docs/json with its recommended rules, then it finds no error', async () => {
    const doc = await documentOf(service);
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'hopthu-openapi-')), `${service}.json`);
    writeFileSync(file, JSON.stringify(doc));
    const redocly = path.join(repoRoot, 'node_modules/.bin/redocly');
    const out = await run(redocly, ['lint', file, '--format=json'], { cwd: repoRoot }).catch(
      (err: { stdout?: string }) => ({ stdout: err.stdout ?? '' }),
    );
    const report = JSON.parse(out.stdout.slice(out.stdout.indexOf('{'))) as {
      totals: { errors: number };
      problems: { ruleId: string; message: string; location: { pointer: string }[] }[];
    };
    const errors = report.problems.map((p) => `${p.ruleId} ${p.location[0]?.pointer ?? ''}: ${p.message}`);
    expect(report.totals.errors, errors.join('\n')).toBe(0);
  });

  it('when a route is served, then the document describes it with an operationId and its own summary', async () => {
    const doc = await documentOf(service);
    const listed = await adminFetch<{ routes: { method: string; url: string }[] }>(
      serviceUrl(service),
      'GET',
      '/admin/routes',
    );
    expect(listed.status).toBe(200);
    const missing: string[] = [];
    for (const route of listed.body.routes) {
      if (!isApiRoute(service, route.url) || !METHODS.includes(route.method.toLowerCase())) continue;
      const op = doc.paths[toOpenApiPath(route.url)]?.[route.method.toLowerCase()];
      if (!op) missing.push(`${route.method} ${route.url}: not in the document`);
      else if (op['x-hopthu-undescribed'])
        missing.push(`${route.method} ${route.url}: no summary in its schema`);
      else if (!op.operationId) missing.push(`${route.method} ${route.url}: no operationId`);
    }
    expect(missing, missing.join('\n')).toEqual([]);
  });
});

describe.each(API_CONTRACTS)('the $service API contract the clients are typed from', (contract) => {
  it('when the service runs, then its document is the one committed in docs/openapi, and the types are generated from it', async () => {
    const live = await documentOf(contract.service);
    const committed = JSON.parse(readFileSync(path.join(repoRoot, contract.document), 'utf8'));
    // A route changed without `node scripts/generate-api-client.ts` fails here.
    expect(live).toEqual(committed);
    const generated = readFileSync(path.join(repoRoot, contract.types), 'utf8');
    expect(generated).toBe(await apiTypes(committed, contract.document));
  });
});
