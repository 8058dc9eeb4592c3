// Walks the whole audit log in chain order and recomputes every hash: says whether the chain is
// intact and, if not, where it breaks (the first breaks, up to a limit).
import { listAuditChainRun } from '../../db/audit-repository.ts';
import type { ConsoleDeps } from '../deps.ts';
import { type ChainBreak, checkChainRun, GENESIS_HASH } from './audit-chain.ts';

export interface ChainReport {
  intact: boolean;
  checked: number;
  /** The newest entry's hash: noting it elsewhere lets a later check see a cut-off tail too. */
  headHash: string;
  breaks: ChainBreak[];
  /** More breaks than `breaks` holds. */
  moreBreaks: boolean;
}

const RUN = 1000;
const MAX_BREAKS = 50;

export async function verifyAuditChain(deps: Pick<ConsoleDeps, 'db'>): Promise<ChainReport> {
  let prev = GENESIS_HASH;
  let afterId = '0';
  let checked = 0;
  const breaks: ChainBreak[] = [];
  let moreBreaks = false;
  for (;;) {
    const run = await listAuditChainRun(deps.db, afterId, RUN);
    if (run.length === 0) break;
    const result = checkChainRun(run, prev);
    for (const b of result.breaks) {
      if (breaks.length < MAX_BREAKS) breaks.push(b);
      else moreBreaks = true;
    }
    prev = result.nextPrev;
    afterId = run.at(-1)!.id;
    checked += run.length;
  }
  return { intact: breaks.length === 0, checked, headHash: prev, breaks, moreBreaks };
}
