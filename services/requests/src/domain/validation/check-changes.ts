// What an `update` may change, by the mailbox's real type (from the directory replica), checked at
// submit so the agency hears at once instead of reading a `failed` item later: the directory
// applies position, department, transfer (`agencyId`) and `convertAddress` to a personal mailbox,
// and `head` (a new head takes the box over) and `convertAddress` to an agency mailbox. An agency
// mailbox's address follows its agency's name, so it moves when an operator renames the agency.
// Pure.
import type { SubmitBody } from '../requests/submission.ts';

type Item = SubmitBody['items'][number];

export interface ChangeProblem {
  /** JSON pointer below the item, e.g. `/changes/head`. */
  field: string;
  vi: string;
  en: string;
}

const PERSONAL_ONLY = ['position', 'department', 'agencyId'] as const;

export function checkChanges(item: Item, mailboxType: 'personal' | 'agency'): ChangeProblem[] {
  const changes = item.changes ?? {};
  const asked = Object.entries(changes).filter(([key, value]) => !(key === 'convertAddress' && !value));
  // An update may carry the new job (personal) or the new head (agency) in `person` instead.
  if (asked.length === 0 && !item.person) {
    return [
      {
        field: '/changes',
        vi: 'Thao tác update cần ít nhất một thay đổi',
        en: 'an update needs at least one change',
      },
    ];
  }
  const problems: ChangeProblem[] = [];
  if (mailboxType === 'personal' && changes.head !== undefined) {
    problems.push({
      field: '/changes/head',
      vi: 'Người đứng đầu chỉ đổi được cho hộp thư cơ quan',
      en: 'head applies only to an agency mailbox',
    });
  }
  if (mailboxType === 'agency') {
    for (const key of PERSONAL_ONLY) {
      if (changes[key] === undefined) continue;
      problems.push({
        field: `/changes/${key}`,
        vi:
          key === 'agencyId'
            ? 'Hộp thư cơ quan thuộc về cơ quan của nó, không chuyển được; địa chỉ đổi theo khi cơ quan được đổi tên'
            : `Hộp thư cơ quan không có ${key === 'position' ? 'chức vụ' : 'phòng ban'}; hãy đổi người đứng đầu (head)`,
        en:
          key === 'agencyId'
            ? "an agency mailbox belongs to its agency and cannot be transferred; its address follows the agency's name"
            : `an agency mailbox has no ${key}; change its head instead`,
      });
    }
  }
  return problems;
}
