// Memory through a burst (issue 15: every Node service ≤ 150 MiB RSS through the 20,000 burst),
// a piece of `./hopthu bench` that runs alone at any scale:
//
//   node scripts/bench-memory.ts [persons]        (default 2,000, in 500-item requests)
//
// Sends the burst as the bench does (scripts/bench.ts, benchBurst: every POST at once, each
// request followed to its end) while it samples each service every 500 ms: VmRSS, its file-backed
// and anonymous parts from /proc, and the V8 heap (used, committed) and external memory from its
// /metrics. Each service's VmHWM is reset first (/proc/PID/clear_refs), so the peak printed is the
// burst's own, not the start's. Prints, per service, the peak (VmHWM) after the burst, what the
// resident memory was made of at the highest sample — file-backed pages (the node binary), the V8
// heap, external memory (Buffers), and the rest of the anonymous memory (malloc's arenas, thread
// stacks, V8 outside its heap) — the heap's and external memory's highest and the CPU seconds it
// used (what a memory setting costs), and the burst's own figures. BENCH_MEMORY_TIMELINE=FILE
// writes every sample as JSON.
import { writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { parsePrometheusText } from '@hopthu/shared/metrics';
import { serviceUrl } from '@hopthu/shared/testing';
import { benchAgencyClient, benchBurst, untilAgencyKnown } from './bench.ts';
import { resetPeakMemory, serviceCpu, serviceMemory } from './lib/service-memory.ts';

const SERVICES = ['requests', 'directory', 'provisioner', 'notifier'] as const;
const mib = (bytes: number) => Math.round(bytes / 2 ** 20);

interface Sample {
  seconds: number;
  service: string;
  rssMiB: number;
  fileMiB: number;
  anonMiB: number;
  heapUsedMiB: number;
  heapTotalMiB: number;
  externalMiB: number;
}

/** Samples each service's resident memory and V8 heap every `intervalMs`; answers every sample. */
function watchServices(intervalMs = 500): () => Sample[] {
  const samples: Sample[] = [];
  const started = performance.now();
  const sample = async () => {
    const seconds = Math.round((performance.now() - started) / 100) / 10;
    await Promise.all(
      SERVICES.map(async (service) => {
        const proc = serviceMemory(service);
        // a service restarting meanwhile (503, refused) is left out of that sample
        const text = await fetch(`${serviceUrl(service)}/metrics`)
          .then((r) => (r.ok ? r.text() : null))
          .catch(() => null);
        if (!proc || !text) return;
        const metrics = parsePrometheusText(text);
        const value = (name: string) =>
          mib(metrics.find((m) => m.name === `hopthu_process_nodejs_${name}`)?.value ?? 0);
        samples.push({
          seconds,
          service,
          rssMiB: proc.rssMiB,
          fileMiB: proc.fileMiB,
          anonMiB: proc.anonMiB,
          heapUsedMiB: value('heap_size_used_bytes'),
          heapTotalMiB: value('heap_size_total_bytes'),
          externalMiB: value('external_memory_bytes'),
        });
      }),
    );
  };
  const timer = setInterval(() => void sample(), intervalMs);
  return () => {
    clearInterval(timer);
    return samples;
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
  const reset = Object.fromEntries(SERVICES.map((s) => [s, resetPeakMemory(s)]));
  const cpuBefore = Object.fromEntries(SERVICES.map((s) => [s, serviceCpu(s)]));
  const watch = watchServices();
  const burst = await benchBurst(client, persons, 500);
  const samples = watch();
  const services = Object.fromEntries(
    SERVICES.map((s) => {
      const own = samples.filter((x) => x.service === s);
      const top = own.reduce<Sample | null>((a, b) => (a && a.rssMiB >= b.rssMiB ? a : b), null);
      return [
        s,
        {
          rssMiBAtStart: before[s]?.rssMiB ?? null,
          // VmHWM since the reset (since the start when it could not be reset)
          peakRssMiB: serviceMemory(s)?.peakRssMiB ?? null,
          peakSince: reset[s] ? 'burst' : 'start',
          // the highest sample, taken apart
          atPeak: top && {
            rssMiB: top.rssMiB,
            fileMiB: top.fileMiB,
            heapTotalMiB: top.heapTotalMiB,
            externalMiB: top.externalMiB,
            restMiB: top.anonMiB - top.heapTotalMiB - top.externalMiB,
          },
          heapUsedMiB: Math.max(0, ...own.map((x) => x.heapUsedMiB)),
          heapTotalMiB: Math.max(0, ...own.map((x) => x.heapTotalMiB)),
          externalMiB: Math.max(0, ...own.map((x) => x.externalMiB)),
          // null when the service was restarted during the burst (another process's CPU)
          cpuSeconds: cpuSpent(cpuBefore[s] ?? null, serviceCpu(s)),
          // another process than at the start (restarted by other work): its figures are void
          restartedDuringBurst: (cpuBefore[s]?.pid ?? null) !== (serviceCpu(s)?.pid ?? null),
        },
      ];
    }),
  );
  if (process.env.BENCH_MEMORY_TIMELINE)
    writeFileSync(process.env.BENCH_MEMORY_TIMELINE, JSON.stringify(samples));
  return { persons, burst, services };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const persons = Number(process.argv[2] ?? 2000);
  const result = await benchMemory(persons);
  console.log(JSON.stringify(result.burst));
  console.table(
    Object.fromEntries(
      Object.entries(result.services).map(([s, m]) => [
        s,
        {
          atStart: m.rssMiBAtStart,
          peak: m.peakRssMiB,
          since: m.peakSince,
          file: m.atPeak?.fileMiB,
          heap: m.atPeak?.heapTotalMiB,
          external: m.atPeak?.externalMiB,
          rest: m.atPeak?.restMiB,
          heapUsedMax: m.heapUsedMiB,
          externalMax: m.externalMiB,
          cpuSeconds: m.cpuSeconds,
          restarted: m.restartedDuringBurst,
        },
      ]),
    ),
  );
  console.log(JSON.stringify(result));
  process.exit(0);
}
