// Issue 14's metrics on the running stack: /metrics of every service is Prometheus text (the strict
// reader of @hopthu/shared/metrics), and its figures move when an agency's request flows.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { type ParsedSample, parsePrometheusText, sampleSum } from '@hopthu/shared/metrics';
import { clientAssertion, readDemoClients, readStack, repoRoot, requestToken } from '@hopthu/shared/testing';
import { describe, expect, it } from 'vitest';

const services = readStack().services;

async function scrape(service: string): Promise<ParsedSample[]> {
  const res = await fetch(`${services[service]}/metrics`);
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parsePrometheusText(await res.text());
}

describe('metrics', () => {
  it('when Prometheus scrapes any service, then /metrics parses and carries its HTTP and process figures', async () => {
    expect(Object.keys(services).sort()).toEqual([
      'console',
      'directory',
      'notifier',
      'provisioner',
      'requests',
    ]);
    for (const service of Object.keys(services)) {
      const samples = await scrape(service);
      expect(
        samples.some((s) => s.name === 'hopthu_process_process_resident_memory_bytes'),
        service,
      ).toBe(true);
      expect(sampleSum(samples, 'hopthu_http_requests_total'), service).toBeGreaterThanOrEqual(0);
    }
    // the consumers' lag per topic, read from Kafka on scrape
    for (const [service, group] of [
      ['directory', 'directory'],
      ['provisioner', 'provisioner'],
      ['notifier', 'notifier'],
    ] as const) {
      const lag = (await scrape(service)).filter(
        (s) => s.name === 'hopthu_consumer_lag' && s.labels.group === group,
      );
      expect(lag.length, service).toBeGreaterThan(0);
      for (const s of lag) expect(s.value).toBeGreaterThanOrEqual(0);
    }
    const notifier = await scrape('notifier');
    expect(notifier.some((s) => s.name === 'hopthu_notifier_timers_due')).toBe(true);
  });

  it('when an agency sends a request, then the HTTP counter by route and status and the items by operation move', async () => {
    const client = readDemoClients().find((c) => c.abbreviation === 'stttt')!;
    const before = await scrape('requests');
    const posted = { method: 'POST', route: '/v1/requests', status: '202' };
    const creates = (samples: ParsedSample[]) =>
      sampleSum(samples, 'hopthu_request_items', { operation: 'create' });

    const tokenAnswer = await requestToken(client.tokenUrl, await clientAssertion(client));
    const { access_token } = (await tokenAnswer.json()) as { access_token: string };
    const res = await fetch(`${client.apiUrl}/requests`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${access_token}`,
        'content-type': 'application/json',
        'idempotency-key': randomUUID(),
      },
      body: JSON.stringify({
        agencyId: client.agencyId,
        requester: { fullName: 'Nguyễn Thị Bình', position: 'Chánh Văn phòng', phone: '0222 3822 000' },
        reference: { number: `MET-${randomUUID().slice(0, 8)}`, date: '2026-11-20' },
        items: [
          {
            operation: 'create',
            mailboxType: 'personal',
            person: {
              familyName: 'Lê',
              middleName: 'Thị',
              givenName: 'Đo',
              position: 'Chuyên viên',
              department: `Phòng Đo lường ${randomUUID().slice(0, 6)}`,
            },
          },
        ],
      }),
    });
    expect(res.status).toBe(202);

    const after = await scrape('requests');
    // other tests may send requests meanwhile: at least ours is counted
    expect(sampleSum(after, 'hopthu_http_requests_total', posted)).toBeGreaterThanOrEqual(
      sampleSum(before, 'hopthu_http_requests_total', posted) + 1,
    );
    expect(creates(after)).toBeGreaterThanOrEqual(creates(before) + 1);
  });

  it('when the Grafana dashboard is imported, then every metric its panels query is served by a service', async () => {
    const dashboard = JSON.parse(readFileSync(path.join(repoRoot, 'infra/grafana/hopthu.json'), 'utf8')) as {
      panels: { title: string; targets: { expr: string }[] }[];
    };
    const served = new Set<string>();
    for (const service of Object.keys(services)) for (const s of await scrape(service)) served.add(s.name);
    const queried = dashboard.panels.flatMap((p) =>
      p.targets.flatMap((t) => t.expr.match(/hopthu_[a-z_]+/g) ?? []),
    );
    expect(queried.length).toBeGreaterThan(10);
    // a gauge with no rows yet (no backlog) still has its TYPE line: ask the text for those
    const texts = await Promise.all(
      Object.values(services).map(async (url) => (await fetch(`${url}/metrics`)).text()),
    );
    const missing = queried.filter(
      (name) => !served.has(name) && !texts.some((t) => t.includes(`# TYPE ${name} `)),
    );
    expect(missing).toEqual([]);
  });
});
