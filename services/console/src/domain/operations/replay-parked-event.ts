// Parked events (messages a service's consumer could not handle, kept in its parked_events): the
// four back-end services' lists read together, and an operator's replay through the service's own
// admin API under the operator's token, recorded in the audit chain with its outcome.
import type { ParkedEvent } from '@hopthu/shared/parked-events';
import type { SessionRecord } from '../../db/session-repository.ts';
import { type AdminApiClient, UpstreamError } from '../admin-api.ts';
import { recordAction } from '../audit/record-action.ts';
import type { ConsoleDeps } from '../deps.ts';

/** The services whose consumers park events, in the order the page lists them. */
export const PARKING_SERVICES = ['requests', 'directory', 'provisioner', 'notifier'] as const;
export type ParkingService = (typeof PARKING_SERVICES)[number];

export interface ServiceParkedEvents {
  service: ParkingService;
  parkedEvents: ParkedEvent[];
  total: number;
  /** The service did not answer: its events are not shown (the page says so). */
  unavailable: boolean;
}

const clientOf = (deps: ConsoleDeps, service: ParkingService): AdminApiClient => deps.upstreams[service];

/** Each service's newest parked events (up to `limit`) and how many match; one that is down is marked so. */
export async function readParkedEvents(
  deps: ConsoleDeps,
  input: { state: 'open' | 'replayed' | 'all'; services: readonly ParkingService[]; limit: number },
): Promise<ServiceParkedEvents[]> {
  return Promise.all(
    input.services.map(async (service) => {
      try {
        const answer = await clientOf(deps, service).get<{ parkedEvents: ParkedEvent[]; total: number }>(
          '/admin/parked-events',
          { state: input.state, limit: String(input.limit) },
        );
        if (answer.status === 200) return { service, ...answer.body, unavailable: false };
      } catch (err) {
        if (!(err instanceof UpstreamError)) throw err;
      }
      return { service, parkedEvents: [], total: 0, unavailable: true };
    }),
  );
}

export type ParkedActionResult =
  | { outcome: 'done'; handled: string }
  /** failedAgain: the handler failed again and the event stays parked with the new error. */
  | { outcome: 'refused'; status: number; message: string; failedAgain: boolean };

/**
 * An operator's action on a parked event through its service: `replay` (handled again by its
 * consumer), or `dismiss` with a reason (closed without a replay, kept). Audited either way.
 */
export async function actOnParkedEvent(
  deps: ConsoleDeps,
  input: {
    service: ParkingService;
    id: string;
    action: 'replay' | 'dismiss';
    reason?: string;
    operator: SessionRecord;
    clientIp: string;
  },
): Promise<ParkedActionResult> {
  const answer = await clientOf(deps, input.service).post<{
    outcome?: string;
    message?: { vi?: string };
    parkedEventId?: string;
  }>(
    `/admin/parked-events/${encodeURIComponent(input.id)}/${input.action}`,
    input.action === 'dismiss' ? { reason: input.reason ?? '' } : {},
    { name: input.operator.username, role: input.operator.role },
  );
  const result: ParkedActionResult =
    answer.status === 200
      ? { outcome: 'done', handled: String(answer.body?.outcome ?? '') }
      : {
          outcome: 'refused',
          status: answer.status,
          message: answer.body?.message?.vi ?? `HTTP ${answer.status}`,
          failedAgain: answer.body?.parkedEventId !== undefined,
        };
  await recordAction(deps, {
    operatorId: input.operator.operatorId,
    username: input.operator.username,
    action: `parked_event.${input.action}`,
    target: `${input.service}/${input.id}`,
    outcome: result.outcome === 'done' ? 'ok' : 'refused',
    details: {
      ...(input.reason !== undefined ? { reason: input.reason } : {}),
      ...(result.outcome === 'done' ? { handled: result.handled } : { status: result.status }),
    },
    clientIp: input.clientIp,
  });
  return result;
}

/** How many events the services hold parked and not yet replayed (the dashboard's figure). */
export async function countParkedEvents(deps: ConsoleDeps): Promise<number> {
  const lists = await readParkedEvents(deps, { state: 'open', services: PARKING_SERVICES, limit: 1 });
  return lists.reduce((n, l) => n + l.total, 0);
}
