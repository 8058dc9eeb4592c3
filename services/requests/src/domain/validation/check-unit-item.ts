// The checks of an item about a unit itself (Mẫu 02 / Mẫu 03 for the agency, not one of its
// mailboxes): `rename_unit` carries the new name and/or abbreviation in `unit`, `dissolve_unit`
// nothing but its reason; neither names a mailbox or a person; both say why (the decision they
// rest on). The unit is the item's `agencyId`, else the request's, inside the client's subtree
// (checkItemScope). A `unit` on any other item is refused. Pure: adds what fails to Problems.
import { isUnitOperation } from '@hopthu/shared/events';
import type { Item, ItemContext, Problems } from './check-item.ts';

const ABBREVIATION = /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;

export function checkUnitItem(ctx: ItemContext, item: Item, at: string, problems: Problems) {
  if (!isUnitOperation(item.operation)) {
    if (item.unit !== undefined)
      problems.add(
        'invalid',
        `${at}/unit`,
        'unit chỉ dùng cho thao tác rename_unit',
        'unit is only for rename_unit',
      );
    return;
  }
  for (const field of ['address', 'person'] as const)
    if (item[field] !== undefined)
      problems.add(
        'invalid',
        `${at}/${field}`,
        `${field} không dùng khi thao tác trên chính đơn vị`,
        `${field} is not used when acting on the unit itself`,
      );
  if (item.mailboxType === 'personal')
    problems.add(
      'invalid',
      `${at}/mailboxType`,
      'Thao tác trên đơn vị không dùng cho hộp thư cá nhân',
      'an operation on a unit is not about a personal mailbox',
    );
  if (!item.reason?.trim())
    problems.add(
      'invalid',
      `${at}/reason`,
      'Cần ghi lý do (căn cứ quyết định đổi tên hoặc giải thể)',
      'a reason is required (the decision the change rests on)',
    );
  if (item.operation === 'dissolve_unit') {
    if (item.unit !== undefined)
      problems.add('invalid', `${at}/unit`, 'Giải thể đơn vị không cần unit', 'dissolve_unit takes no unit');
    return;
  }
  checkRename(ctx, item, at, problems);
}

function checkRename(ctx: ItemContext, item: Item, at: string, problems: Problems) {
  const name = item.unit?.name?.trim();
  const abbreviation = item.unit?.abbreviation?.trim();
  if (!name && !abbreviation) {
    problems.add(
      'invalid',
      `${at}/unit`,
      'Cần tên mới hoặc tên viết tắt mới của đơn vị (unit.name, unit.abbreviation)',
      "a rename needs the unit's new name or abbreviation (unit.name, unit.abbreviation)",
    );
    return;
  }
  if (abbreviation !== undefined && (!ABBREVIATION.test(abbreviation) || abbreviation.length > 32))
    problems.add(
      'invalid',
      `${at}/unit/abbreviation`,
      'Tên viết tắt chỉ gồm chữ thường không dấu, số và dấu gạch ngang, ví dụ snv',
      'the abbreviation is lower-case letters, digits and hyphens, e.g. snv',
    );
  const unit = ctx.agencies.get(item.agencyId ?? ctx.body.agencyId);
  if (unit && unit.name === name && (abbreviation === undefined || abbreviation === unit.abbreviation))
    problems.add(
      'invalid',
      `${at}/unit/name`,
      'Tên mới trùng tên hiện tại của đơn vị',
      "the new name is the unit's current name",
    );
}
