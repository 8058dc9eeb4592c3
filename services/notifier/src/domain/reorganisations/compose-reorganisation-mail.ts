// What a reorganisation tells people (docs/reorganisation.md): the agency one mail listing every
// address of its that changed, old → new, and each holder a notice of the new address, both in
// Vietnamese with an English line. Pure: no I/O, no clock.
import type { AgencyReorganised } from '@hopthu/shared/events';

export interface ReorganisationMail {
  subject: string;
  text: string;
}

const nfc = (s: string) => s.normalize('NFC');
const day = (iso: string) => {
  const d = new Date(new Date(iso).getTime() + 7 * 3600_000);
  return `${String(d.getUTCDate()).padStart(2, '0')}/${String(d.getUTCMonth() + 1).padStart(2, '0')}/${d.getUTCFullYear()}`;
};
const effective = (ymd: string) => ymd.split('-').reverse().join('/');

export function composeAgencyReorganisationMail(event: AgencyReorganised): ReorganisationMail {
  const until = event.changes[0]?.aliasUntil;
  const lines = [
    `Kính gửi ${nfc(event.agencyName)},`,
    '',
    `Thực hiện "${nfc(event.title)}" (hiệu lực từ ${effective(event.effectiveFrom)}), địa chỉ thư điện tử công vụ của ${event.changes.length} hộp thư thuộc đơn vị đã thay đổi theo quy tắc đặt tên của tỉnh:`,
    '',
    ...event.changes.map((c, i) => `${i + 1}. ${nfc(c.displayName)}: ${c.from} → ${c.to}`),
    '',
    until
      ? `Thư gửi tới địa chỉ cũ vẫn được chuyển tới địa chỉ mới đến hết ngày ${day(until)}. Thư cũ, mật khẩu và danh bạ của mỗi hộp thư được giữ nguyên.`
      : 'Thư cũ, mật khẩu và danh bạ của mỗi hộp thư được giữ nguyên.',
    '',
    `English: under "${nfc(event.title)}" (effective ${event.effectiveFrom}), ${event.changes.length} addresses of your agency changed as listed above; mail to an old address keeps arriving at the new one${until ? ` until ${until.slice(0, 10)}` : ''}; mail and passwords are kept.`,
    '',
    `Mã sắp xếp / reorganisation: ${event.reorganisationId}`,
  ];
  return {
    subject: `[hopthu] Thay đổi địa chỉ thư điện tử do sắp xếp tổ chức: ${nfc(event.agencyName)} (${event.changes.length} hộp thư)`,
    text: lines.join('\n'),
  };
}

export function composeHolderNotice(
  event: AgencyReorganised,
  change: AgencyReorganised['changes'][number],
): ReorganisationMail {
  return {
    subject: `[hopthu] Địa chỉ thư mới của bạn / your new address: ${change.to}`,
    text: [
      `Kính gửi ${nfc(change.displayName)},`,
      '',
      `Thực hiện "${nfc(event.title)}", địa chỉ thư điện tử công vụ của bạn đổi từ ${change.from} thành ${change.to}.`,
      `Đăng nhập bằng địa chỉ mới với mật khẩu hiện tại; thư cũ vẫn còn trong hộp thư. Thư gửi tới địa chỉ cũ được chuyển tới địa chỉ mới đến hết ngày ${day(change.aliasUntil)}: hãy báo cho người liên hệ.`,
      '',
      `English: your address changed from ${change.from} to ${change.to}. Log in with the new address and your current password; your mail is kept; mail to the old address is forwarded until ${change.aliasUntil.slice(0, 10)}.`,
    ].join('\n'),
  };
}
