// The fuzz suite's seeded share, so a regression fails `./hopthu test` (the full run is
// `./hopthu fuzz --runs N`, docs/operations.md): every route of every running service, listed by
// the service itself (GET /admin/routes), gets structured mutations of valid inputs and raw bytes
// with the credentials it needs. Then: no answer is a 5xx, no refused input left a row or an
// outbox event carrying its marker (stores.ts says why markers and not table counts), every
// defective input is refused, refusals are problem+json, and no route lacks a body generator.
import { serviceUrl, waitFor } from '@hopthu/shared/testing';
import { beforeAll, describe, expect, it } from 'vitest';
import { failuresOf, type FuzzReport, runFuzz } from './fuzz/run-fuzz.ts';
import { SERVICES } from './fuzz/route-table.ts';

const SEED = 20261203;
let report: FuzzReport;

beforeAll(async () => {
  // The running stack (`./hopthu up`); a service another test is restarting gets a minute.
  for (const service of SERVICES) {
    await waitFor(async () => (await fetch(`${serviceUrl(service)}/readyz`)).ok, {
      timeoutMs: 60_000,
      what: `${service} ready`,
    });
  }
  report = await runFuzz({ runs: 1000, seed: SEED, concurrency: 8 });
}, 180_000);

describe(`fuzzing every route (seed ${SEED})`, () => {
  it('when the services are asked for their routes, then each answers and every route has a generator', () => {
    expect(report.unreachable).toEqual([]);
    expect(report.withoutGenerator).toEqual([]);
    for (const service of SERVICES) {
      expect(report.routes.filter((r) => r.service === service).length, service).toBeGreaterThan(3);
    }
    expect(report.routes.every((r) => r.runs > 0)).toBe(true);
  });

  it('when mutated inputs are sent, then no route answers 5xx, nothing refused stays behind and defects are refused as problem+json', () => {
    expect(failuresOf(report)).toEqual([]);
  });

  it('when the agency API is fuzzed with a real token, then its inputs reach validation (400s), not only the login (401s)', () => {
    const submit = report.routes.find((r) => r.service === 'requests' && r.route === 'POST /v1/requests');
    expect(submit?.byStatus['400'] ?? 0).toBeGreaterThan(0);
    const agencies = report.routes.find(
      (r) => r.service === 'directory' && r.route === 'POST /admin/agencies',
    );
    expect(agencies?.byStatus['400'] ?? 0).toBeGreaterThan(0);
    const consoleForm = report.routes.find((r) => r.service === 'console' && r.route === 'POST /operators');
    expect(consoleForm?.byStatus['400'] ?? 0).toBeGreaterThan(0);
  });
});
