// The provisioner's benchmark piece, run small: it measures through the running provisioner and
// leaves no mailbox behind, so `./hopthu bench` can run it again and again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_DOMAIN, benchProvisioner } from '../bench/apply-commands.ts';
import { ensureProvisioner, type ProvisionerProcess, queryVmail } from './helpers.ts';

let provisioner: ProvisionerProcess;

beforeAll(async () => {
  provisioner = await ensureProvisioner();
});

afterAll(async () => {
  await provisioner?.stop();
});

const benchRows = async () =>
  Number(
    (
      await queryVmail<{ n: string }>('SELECT count(*) AS n FROM mailbox WHERE domain = $1', [BENCH_DOMAIN])
    )[0]?.n,
  );

describe('benchProvisioner', () => {
  it('when run with a small count, then it reports throughput and latency percentiles and cleans up', async () => {
    const before = await benchRows();
    const r = await benchProvisioner({ count: 30 });
    expect(r.commands).toBe(30);
    expect(r.seconds).toBeGreaterThan(0);
    expect(r.commandsPerSecond).toBeGreaterThan(0);
    expect(r.latencyMs.p50).toBeGreaterThan(0);
    expect(r.latencyMs.p99).toBeGreaterThanOrEqual(r.latencyMs.p50);
    expect(await benchRows()).toBe(before);
  });
});
