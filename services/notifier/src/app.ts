// buildApp: the notifier's HTTP side (health, readiness, admin API), used by main.ts and tests.
import type { Clock, NewId } from '@hopthu/shared/clock';
import { createHttpApp, type HttpApp } from '@hopthu/shared/http';
import { registerApiDocs } from '@hopthu/shared/openapi';
import type { Logger } from '@hopthu/shared/logger';
import { collectOnScrape } from '@hopthu/shared/metrics';
import type { Kysely } from 'kysely';
import {
  deliveriesByStatus,
  deliveryAttemptsByOutcome,
  requestsAtRisk,
  timersDue,
} from './db/metrics-repository.ts';
import type { NotifierDb } from './db/schema.ts';
import { registerAdminRoutes } from './http/admin-routes.ts';
import { registerMaintenanceRoutes } from './http/maintenance-routes.ts';
import type { MailSettings } from './domain/mail-settings.ts';

export interface AppDeps {
  db: Kysely<NotifierDb>;
  logger: Logger;
  clock: Clock;
  adminToken: string | undefined;
  readiness?: () => Promise<void>;
  /** For scheduling planned maintenance (its notices are mail deliveries). */
  maintenance?: { newId: NewId; mail: MailSettings };
}

export function buildApp(deps: AppDeps): HttpApp {
  const app = createHttpApp({ logger: deps.logger, readiness: deps.readiness });
  registerApiDocs(app as never, {
    title: 'hopthu notifier admin API',
    description:
      "The notifier's admin routes: deadlines (the SLA board), warnings, result deliveries, agencies' webhook subscriptions. Errors are RFC 9457 problem+json in Vietnamese and English.",
    publicUrl: 'http://127.0.0.1:3004',
  });
  // In a plugin, so the OpenAPI document (registered above) sees every route.
  app.register(async (scope) => {
    const routes = scope as unknown as HttpApp;
    registerAdminRoutes(routes, deps);
    if (deps.maintenance) registerMaintenanceRoutes(routes, { ...deps, ...deps.maintenance });
  });
  registerNotifierMetrics(app, deps);
  return app;
}

/** The notifier's gauges, read from its database when Prometheus scrapes. */
function registerNotifierMetrics(app: HttpApp, { db, clock }: AppDeps): void {
  const unwatch = [
    collectOnScrape(
      'hopthu_notifier_deliveries',
      'Result deliveries (mail, webhook) by status: pending, delivered, failed',
      ['kind', 'status'],
      async () =>
        (await deliveriesByStatus(db)).map((r) => ({
          labels: { kind: r.kind, status: r.status },
          value: r.n,
        })),
    ),
    collectOnScrape(
      'hopthu_notifier_delivery_attempts',
      'Delivery attempts by kind and outcome (delivered, retry, failed)',
      ['kind', 'outcome'],
      async () =>
        (await deliveryAttemptsByOutcome(db)).map((r) => ({
          labels: { kind: r.kind, outcome: r.outcome },
          value: r.n,
        })),
    ),
    collectOnScrape(
      'hopthu_notifier_timers_due',
      'Deadline timers whose time has come, not yet fired or cancelled',
      [],
      async () => [{ value: await timersDue(db, clock.now()) }],
    ),
    collectOnScrape(
      'hopthu_notifier_requests_at_risk',
      'Open requests by deadline risk: overdue, due within 24 hours, past half their time',
      ['risk'],
      async () =>
        (await requestsAtRisk(db, clock.now())).map((r) => ({ labels: { risk: r.risk }, value: r.n })),
    ),
  ];
  app.addHook('onClose', async () => {
    for (const stop of unwatch) stop();
  });
}
