// A progress line for long imports on stderr: count, rate and time left. On a terminal it redraws
// one line (a bar); otherwise (a log file, CI) it prints a plain line every few seconds, so logs
// do not fill with carriage returns.
export interface ProgressLine {
  update(done: number, total: number): void;
  done(): void;
}

export function createProgress(options: {
  stream: NodeJS.WriteStream;
  label: string;
  /** Seconds between lines when the stream is not a terminal. */
  everySeconds?: number;
}): ProgressLine {
  const { stream, label } = options;
  const tty = stream.isTTY === true;
  const started = performance.now();
  let lastPrinted = 0;
  let last = '';
  return {
    update(done, total) {
      const seconds = (performance.now() - started) / 1000;
      const rate = seconds > 0 ? done / seconds : 0;
      const left = rate > 0 ? Math.max(0, (total - done) / rate) : Number.NaN;
      const share = total > 0 ? Math.min(1, done / total) : 0;
      const text = `${label} ${done}/${total} (${Math.round(share * 100)}%) ${rate.toFixed(1)}/s, ${formatSeconds(left)} left`;
      if (tty) {
        const width = 24;
        const filled = Math.round(share * width);
        stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${text}\u001b[K`);
        last = text;
        return;
      }
      const now = performance.now();
      if (now - lastPrinted >= (options.everySeconds ?? 5) * 1000 || (done >= total && text !== last)) {
        stream.write(`${text}\n`);
        lastPrinted = now;
        last = text;
      }
    },
    done() {
      if (tty && last) stream.write('\n');
    },
  };
}

export function formatSeconds(seconds: number): string {
  if (!Number.isFinite(seconds)) return '?';
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
