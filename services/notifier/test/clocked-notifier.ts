// A notifier process for tests that move time (deadline-warnings.test.ts): the real parts
// (src/notifier-service.ts) with a clock TEST_CLOCK_OFFSET_MS ahead of (or behind) the system
// clock, so a test crosses a deadline without sleeping, and without the Kafka consumer: it runs
// on the test's scratch database and must not take the shared topics' messages. Both switches
// live here, in test code.
import type { Clock } from '@hopthu/shared/clock';
import { runServiceMain } from '@hopthu/shared/service-kit';
import { readConfig } from '../src/config.ts';
import { notifierService } from '../src/notifier-service.ts';

const offsetMs = Number(process.env.TEST_CLOCK_OFFSET_MS ?? 'NaN');
if (!Number.isFinite(offsetMs))
  throw new Error("TEST_CLOCK_OFFSET_MS: how far from now this notifier's clock is, in ms");
const clock: Clock = { now: () => new Date(Date.now() + offsetMs) };

await runServiceMain(notifierService(readConfig(), { clock, consumers: false }));
