// Memory through a burst (issue 15: every Node service ≤ 150 MiB RSS through the 20,000 burst),
// a piece of `./hopthu bench` that runs alone at any scale:
//
//   node scripts/bench-memory.ts [persons]        (default 2,000, in 500-item requests)
//
// Sends the burst as the bench does (scripts/bench.ts, benchBurst: every POST at once, each
// request polled to its end) while it samples each service: VmRSS every 250 ms from /proc, and
// the V8 heap (used, committed) and external memory from its /metrics every second. Prints, per
// service, the peak since its start (VmHWM) before and after the burst, the highest RSS sampled
// during it, the heap's and external memory's highest, the CPU seconds it used (what a memory
// setting costs), and the burst's own figures. Restart the
// services first (`./hopthu restart NAME`) for a peak that is the burst's alone.
import { pathToFileURL } from 'node:url';
import { parsePrometheusText } from '@hopthu/shared/metrics';
import { serviceUrl } from '@hopthu/shared/testing';
import { benchAgencyClient, benchBurst, untilAgencyKnown } from './bench.ts';
import { serviceCpu, serviceMemory, watchMemory } from './lib/service-memory.ts';

const SERVICES = ['requests', 'directory', 'provisioner', 'notifier'] as const;
const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

interface HeapPeak {
  heapUsedMiB: number;
  heapTotalMiB: number;
  externalMiB: number;
}

/** Samples each service's V8 heap through /metrics every second; answers the highest of each figure. */
function watchHeaps(): () => Record<string, HeapPeak> {
  const peaks: Record<string, HeapPeak> = {};
  const sample = async () => {
    await Promise.all(
      SERVICES.map(async (s) => {
        // a service restarting meanwhile (503, refused) is left out of that sample
        const text = await fetch(`${serviceUrl(s)}/metrics`)
          .then((r) => (r.ok ? r.text() : null))
          .catch(() => null);
        if (!text) return;
        const metrics = parsePrometheusText(text);
        const value = (name: string) =>
          metrics.find((m) => m.name === `hopthu_process_nodejs_${name}`)?.value ?? 0;
        const p = peaks[s] ?? { heapUsedMiB: 0, heapTotalMiB: 0, externalMiB: 0 };
        peaks[s] = p;
        p.heapUsedMiB = Math.max(p.heapUsedMiB, mib(value('heap_size_used_bytes')));
        p.heapTotalMiB = Math.max(p.heapTotalMiB, mib(value('heap_size_total_bytes')));
        p.externalMiB = Math.max(p.externalMiB, mib(value('external_memory_bytes')));
      }),
    );
  };
  const timer = setInterval(() => void sample(), 1000);
  return () => {
    clearInterval(timer);
    return peaks;
  };
}

function cpuSpent(
  before: { pid: string; seconds: number } | null,
  after: { pid: string; seconds: number } | null,
): number | null {
  if (!before || !after || before.pid !== after.pid) return null;
  return Math.round((after.seconds - before.seconds) * 10) / 10;
}

export async function benchMemory(persons: number) {
  const client = await benchAgencyClient();
  await untilAgencyKnown(client);
  const before = Object.fromEntries(SERVICES.map((s) => [s, serviceMemory(s)]));
  const cpuBefore = Object.fromEntries(SERVICES.map((s) => [s, serviceCpu(s)]));
  const rss = watchMemory(SERVICES);
  const heaps = watchHeaps();
  const burst = await benchBurst(client, persons, 500);
  const duringRss = rss();
  const heap = heaps();
  const services = Object.fromEntries(
    SERVICES.map((s) => [
      s,
      {
        peakRssMiBAtStart: before[s]?.peakRssMiB ?? null,
        peakRssMiBDuringBurst: duringRss[s],
        peakRssMiBAfter: serviceMemory(s)?.peakRssMiB ?? null,
        ...heap[s],
        // null when the service was restarted during the burst (another process's CPU)
        cpuSeconds: cpuSpent(cpuBefore[s] ?? null, serviceCpu(s)),
      },
    ]),
  );
  return { persons, burst, services };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const persons = Number(process.argv[2] ?? 2000);
  const result = await benchMemory(persons);
  console.log(JSON.stringify(result.burst));
  console.table(result.services);
  console.log(JSON.stringify(result));
  process.exit(0);
}
