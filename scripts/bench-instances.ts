// One instance against two (issue 15, "Scale-out, on the same machine"): the same burst of
// BENCH_SCALE persons (default 2,000) in 500-item requests, first with the running single instance
// of every service, then with a second instance of each (`./hopthu start NAME-2`, the same
// databases and consumer groups, stopped again afterwards). Called from scripts/bench.ts (key
// `instances` of var/bench/latest.json). On one machine the second instance shares its cores with
// the first, so the figure says what the consumer groups spread, not what a second machine adds.
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { DemoClient } from '@hopthu/shared/testing';
import { repoRoot } from '@hopthu/shared/testing';
import { type BurstRun, benchBurst } from './bench.ts';

const SERVICES = ['requests', 'directory', 'provisioner', 'notifier'];

export interface InstancesRun {
  persons: number;
  one: BurstRun;
  two: BurstRun;
  /** two instances' mailboxes/s over one instance's */
  ratio: number;
}

function hopthu(...args: string[]) {
  execFileSync(path.join(repoRoot, 'hopthu'), args, { stdio: ['ignore', 'ignore', 'inherit'] });
}

export async function benchInstances(client: DemoClient, persons: number): Promise<InstancesRun> {
  const one = await benchBurst(client, persons, 500, 0x20000);
  for (const s of SERVICES) hopthu('start', `${s}-2`);
  try {
    const two = await benchBurst(client, persons, 500, 0x30000);
    return {
      persons,
      one,
      two,
      ratio: Math.round((two.mailboxesPerSecond / one.mailboxesPerSecond) * 100) / 100,
    };
  } finally {
    for (const s of SERVICES) hopthu('stop', `${s}-2`);
  }
}
