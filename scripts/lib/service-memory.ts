// The resident memory of the stack's running services, read from /proc by their pid files
// (var/run/NAME.pid), for the benches: the current and peak RSS of one service, a watcher that
// samples several while a bench part runs and answers each one's peak, and the CPU time a
// service has used (to weigh a memory setting against what it costs).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '@hopthu/shared/testing';

export interface ServiceMemory {
  /** VmRSS: resident now, MiB */
  rssMiB: number;
  /** VmHWM: the highest resident since the process started (or since resetPeakMemory), MiB */
  peakRssMiB: number;
  /** RssFile: resident pages of mapped files (the node binary's code and ICU data), MiB */
  fileMiB: number;
  /** RssAnon: resident anonymous memory (V8 heap, buffers, malloc arenas, stacks), MiB */
  anonMiB: number;
}

function pidOf(name: string): string {
  return readFileSync(path.join(repoRoot, 'var/run', `${name}.pid`), 'utf8').trim();
}

/** A running service's memory (`name` may be an instance such as `directory-2`); null when it is not running. */
export function serviceMemory(name: string): ServiceMemory | null {
  try {
    const pid = pidOf(name);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const mib = (key: string) =>
      Math.round(Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]) / 1024);
    const memory = {
      rssMiB: mib('VmRSS'),
      peakRssMiB: mib('VmHWM'),
      fileMiB: mib('RssFile'),
      anonMiB: mib('RssAnon'),
    };
    return Number.isFinite(memory.rssMiB) ? memory : null;
  } catch {
    return null;
  }
}

/**
 * Resets a running service's VmHWM to its present VmRSS (`5` to /proc/PID/clear_refs), so the
 * peak read afterwards is what came after, not the process's start; false when it is not running
 * or the reset is refused (another user's process).
 */
export function resetPeakMemory(name: string): boolean {
  try {
    writeFileSync(`/proc/${pidOf(name)}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

/**
 * Samples the services' VmRSS every `intervalMs` until the returned function is called, which
 * answers each one's highest sample in MiB (null for one never seen running). Unlike VmHWM this
 * leaves out what the process reached before the watch began (its start).
 */
export function watchMemory(
  services: readonly string[],
  intervalMs = 250,
): () => Record<string, number | null> {
  const peak: Record<string, number | null> = Object.fromEntries(services.map((s) => [s, null]));
  const sample = () => {
    for (const s of services) {
      const now = serviceMemory(s)?.rssMiB;
      if (now !== undefined) peak[s] = Math.max(peak[s] ?? 0, now);
    }
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return () => {
    clearInterval(timer);
    sample();
    return { ...peak };
  };
}

/** The CPU a running service has used since it started (user + system), with its pid; null when it is not running. */
export function serviceCpu(name: string): { pid: string; seconds: number } | null {
  try {
    const pid = pidOf(name);
    // fields 14 and 15 of /proc/PID/stat, counted after the command name's closing parenthesis
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? { pid, seconds: ticks / 100 } : null;
  } catch {
    return null;
  }
}
