// An operator plans, then applies, the import of a province's existing mail system from the
// console: the files go to the directory's admin API (POST /admin/imports) under the operator's own
// identity, as `./hopthu import` sends them; each plan and apply is recorded in the audit chain
// with its counts and outcome (never the files' content).
import type { SessionRecord } from '../../db/session-repository.ts';
import { recordAction } from '../audit/record-action.ts';
import type { ConsoleDeps } from '../deps.ts';
import type { ImportUpload } from './import-uploads.ts';

export interface ImportConflict {
  file: string;
  line: number;
  field: string;
  message: string;
}

export interface ImportSummary {
  jobId: string | null;
  province: string;
  format: string;
  agencies: number;
  mailboxes: number;
  legacy: number;
  alreadyImported: number;
  withoutPassword: number;
  conflicts: ImportConflict[];
  state: string;
}

export type ImportOutcome =
  | { outcome: 'planned'; summary: ImportSummary }
  | { outcome: 'applying'; summary: ImportSummary }
  | {
      outcome: 'refused';
      status: number;
      message: string;
      errors: { field: string; message: { vi: string; en: string } }[];
    };

interface Problem {
  message?: { vi?: string };
  detail?: string;
  errors?: { field: string; message: { vi: string; en: string } }[];
}

export async function importMailboxes(
  deps: ConsoleDeps,
  input: { upload: ImportUpload; apply: boolean; operator: SessionRecord; clientIp: string },
): Promise<ImportOutcome> {
  const { upload } = input;
  const answer = await deps.upstreams.directory.post<ImportSummary & Problem>(
    '/admin/imports',
    {
      province: upload.province,
      agencies: upload.agencies,
      mailboxes: upload.mailboxes,
      mailboxesFormat: upload.format,
      apply: input.apply,
    },
    { name: input.operator.username, role: input.operator.role },
  );
  const ok = answer.status === 200 || answer.status === 202;
  const result: ImportOutcome = ok
    ? { outcome: input.apply ? 'applying' : 'planned', summary: answer.body }
    : {
        outcome: 'refused',
        status: answer.status,
        message: answer.body?.message?.vi ?? answer.body?.detail ?? `HTTP ${answer.status}`,
        errors: answer.body?.errors ?? [],
      };
  await recordAction(deps, {
    operatorId: input.operator.operatorId,
    username: input.operator.username,
    action: input.apply ? 'import.apply' : 'import.plan',
    target: upload.province,
    outcome: ok ? 'ok' : 'refused',
    details: {
      files: `${upload.agenciesName}, ${upload.mailboxesName}`,
      ...(ok
        ? {
            agencies: answer.body.agencies,
            mailboxes: answer.body.mailboxes,
            conflicts: answer.body.conflicts.length,
            ...(answer.body.jobId ? { jobId: answer.body.jobId } : {}),
          }
        : { status: answer.status }),
    },
    clientIp: input.clientIp,
  });
  return result;
}
