import { describe, expect, it } from 'vitest';
import { createHttpApp } from './http.ts';
import { createLogger } from './logger.ts';
import { collectOnScrape, parsePrometheusText, sampleSum } from './metrics.ts';

const logger = createLogger('metrics-test', { level: 'silent' });

describe('metrics', () => {
  it('when a request is answered, then /metrics counts it by route template and status, as valid Prometheus text', async () => {
    const app = createHttpApp({ logger });
    app.get('/things/:id', async (request) => ({ id: (request.params as { id: string }).id }));
    await app.ready();
    const before = parsePrometheusText((await app.inject({ url: '/metrics' })).body);
    const labels = { method: 'GET', route: '/things/:id', status: '200' };
    const was = sampleSum(before, 'hopthu_http_requests_total', labels);

    expect((await app.inject({ url: '/things/1' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/things/2' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/nowhere/at/all' })).statusCode).toBe(404);

    const answer = await app.inject({ url: '/metrics' });
    expect(answer.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    const after = parsePrometheusText(answer.body);
    expect(sampleSum(after, 'hopthu_http_requests_total', labels)).toBe(was + 2);
    // a path that matches no route is one series, not one per path
    expect(after.some((s) => s.labels.route === '/nowhere/at/all')).toBe(false);
    expect(
      sampleSum(after, 'hopthu_http_requests_total', { route: 'unmatched', status: '404' }),
    ).toBeGreaterThan(0);
    expect(sampleSum(after, 'hopthu_http_request_duration_seconds_count', { route: '/things/:id' })).toBe(
      was + 2,
    );
    await app.close();
  });

  it('when a source is registered, then its figures are read at each scrape and summed per label set; a failing source is left out', async () => {
    const app = createHttpApp({ logger });
    let backlog = 3;
    const stopA = collectOnScrape('hopthu_test_backlog', 'test', ['topic'], async () => [
      { labels: { topic: 'a' }, value: backlog },
    ]);
    const stopB = collectOnScrape('hopthu_test_backlog', 'test', ['topic'], async () => [
      { labels: { topic: 'a' }, value: 1 },
      { labels: { topic: 'b' }, value: 5 },
    ]);
    const stopC = collectOnScrape('hopthu_test_backlog', 'test', ['topic'], async () => {
      throw new Error('database down');
    });
    const scrape = async () => parsePrometheusText((await app.inject({ url: '/metrics' })).body);
    expect(sampleSum(await scrape(), 'hopthu_test_backlog', { topic: 'a' })).toBe(4);
    backlog = 10;
    const samples = await scrape();
    expect(sampleSum(samples, 'hopthu_test_backlog', { topic: 'a' })).toBe(11);
    expect(sampleSum(samples, 'hopthu_test_backlog', { topic: 'b' })).toBe(5);
    stopB();
    expect((await scrape()).filter((s) => s.name === 'hopthu_test_backlog')).toEqual([
      { name: 'hopthu_test_backlog', labels: { topic: 'a' }, value: 10 },
    ]);
    stopA();
    stopC();
    await app.close();
  });

  it('when text breaks the format, then the strict reader refuses it naming the line', () => {
    expect(() => parsePrometheusText('# TYPE x counter\nx 1\n')).not.toThrow();
    expect(() => parsePrometheusText('x{a="1"} one\n')).toThrow(/line 1/);
    expect(() => parsePrometheusText('x{a="1} 1\n')).toThrow(/not a sample/);
    expect(() => parsePrometheusText('9x 1\n')).toThrow(/not a sample/);
    expect(() => parsePrometheusText('# TYPE x widget\n')).toThrow(/bad TYPE/);
    expect(parsePrometheusText('x{a="q\\"uote",b="l\\nine"} +Inf\n')).toEqual([
      { name: 'x', labels: { a: 'q"uote', b: 'l\nine' }, value: Infinity },
    ]);
  });
});
