// Rank of a person from the position (chức vụ) as written, for Kiên Giang Điều 4 khoản 3: "ưu tiên
// theo cấp bậc, chức vụ" — among namesakes of one request, the higher position keeps the plain
// form. 1 is the highest. An explicit rank from the caller always wins over this; a position that
// is not recognised ranks after every recognised one, and no position ranks last.
import { foldToAscii } from './fold.ts';

// Folded heads of positions, best first within each level; matched at the start of the position.
const LEVELS: readonly (readonly [number, readonly string[]])[] = [
  [
    10,
    [
      'chu tich',
      'bi thu',
      'tong giam doc',
      'giam doc',
      'truong ban',
      'cuc truong',
      'vien truong',
      'hieu truong',
      'tong bien tap',
    ],
  ],
  [
    30,
    [
      'chanh van phong',
      'chanh thanh tra',
      'chanh',
      'chi cuc truong',
      'truong phong',
      'truong khoa',
      'truong tram',
      'truong',
      'ke toan truong',
    ],
  ],
  [50, ['chuyen vien cao cap', 'chuyen vien chinh', 'thanh tra vien chinh']],
  [
    60,
    ['chuyen vien', 'thanh tra vien', 'can bo', 'cong chuc', 'vien chuc', 'ke toan', 'van thu', 'nhan vien'],
  ],
];
/** A deputy (phó …) ranks just below the post. */
const DEPUTY_OFFSET = 5;
export const UNRECOGNISED_POSITION_RANK = 80;

/** The rank of a position title (1 highest); undefined for no position. */
export function rankOfPosition(position: string | null | undefined): number | undefined {
  if (position == null) return undefined;
  let text = foldToAscii(position.normalize('NFC'))
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
  if (text === '') return undefined;
  let offset = 0;
  if (text.startsWith('pho ')) {
    offset = DEPUTY_OFFSET;
    text = text.slice(4);
  }
  for (const [level, heads] of LEVELS) {
    if (heads.some((head) => text === head || text.startsWith(`${head} `))) return level + offset;
  }
  return UNRECOGNISED_POSITION_RANK;
}

/**
 * A person's rank for serving a request (Kiên Giang Điều 4 khoản 2: the higher rank keeps the plain
 * address): the rank given, else the rank of the position title. The one function the directory
 * and `./hopthu naming --request` both use.
 */
export function rankOfPerson(person: {
  rank?: number | null | undefined;
  position?: string | null | undefined;
}): number | undefined {
  return person.rank ?? rankOfPosition(person.position);
}
