// The page frame every console page shares: Vietnamese, UTF-8, a skip link, the navigation (only
// the pages the role may open), who is logged in with a logout form, and a notice area.
import type { Role } from '../db/schema.ts';
import { can, type Permission, ROLE_LABEL } from '../domain/auth/permissions.ts';
import { html, type SafeHtml, trusted } from './html.ts';

export interface PageUser {
  username: string;
  displayName: string;
  role: Role;
  csrfToken: string;
}

export interface Notice {
  kind: 'ok' | 'error';
  text: string;
}

export type Section =
  | 'dashboard'
  | 'reports'
  | 'approvals'
  | 'deadlines'
  | 'dead-letters'
  | 'parked-events'
  | 'directory'
  | 'agencies'
  | 'paper-requests'
  | 'reclaims'
  | 'reorganisations'
  | 'maintenance'
  | 'audit'
  | 'imports'
  | 'operators'
  | 'account'
  | 'login';

const NAV: { section: Section; href: string; label: string; permission: Permission }[] = [
  { section: 'dashboard', href: '/dashboard', label: 'Tổng quan', permission: 'queues.view' },
  { section: 'approvals', href: '/approvals', label: 'Phê duyệt', permission: 'queues.view' },
  { section: 'deadlines', href: '/deadlines', label: 'Hạn xử lý', permission: 'queues.view' },
  { section: 'dead-letters', href: '/dead-letters', label: 'Lỗi cấp phát', permission: 'queues.view' },
  { section: 'directory', href: '/directory', label: 'Danh bạ', permission: 'queues.view' },
  { section: 'agencies', href: '/agencies', label: 'Cơ quan, đơn vị', permission: 'queues.view' },
  {
    section: 'paper-requests',
    href: '/paper-requests/new',
    label: 'Nhập yêu cầu giấy',
    permission: 'requests.file',
  },
  { section: 'reclaims', href: '/reclaims', label: 'Thu hồi hộp thư', permission: 'queues.view' },
  { section: 'imports', href: '/imports', label: 'Nhập hộp thư', permission: 'queues.view' },
  {
    section: 'reorganisations',
    href: '/reorganisations',
    label: 'Sắp xếp tổ chức',
    permission: 'queues.view',
  },
  { section: 'maintenance', href: '/maintenance', label: 'Bảo trì', permission: 'mailboxes.act' },
  { section: 'reports', href: '/reports', label: 'Báo cáo', permission: 'queues.view' },
  { section: 'audit', href: '/audit', label: 'Nhật ký thao tác', permission: 'audit.view' },
  { section: 'operators', href: '/operators', label: 'Cán bộ vận hành', permission: 'operators.view' },
  { section: 'account', href: '/account', label: 'Tài khoản', permission: 'account.self' },
];

const STYLE = trusted(`
:root { --blue: #0b4f8a; --line: #d5dbe3; --bg: #f5f7fa; --ok: #1f6f3a; --err: #a4161a; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.5 system-ui, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: #1b1f24; background: var(--bg); }
a { color: var(--blue); }
.skip { position: absolute; left: -9999px; } .skip:focus { left: 8px; top: 8px; background: #fff; padding: 4px 8px; }
header { background: var(--blue); color: #fff; padding: 0 24px; display: flex; align-items: center; gap: 24px; flex-wrap: wrap; }
header .brand { font-weight: 700; font-size: 17px; padding: 12px 0; }
header nav ul { list-style: none; margin: 0; padding: 0; display: flex; gap: 4px; flex-wrap: wrap; }
header nav a { color: #fff; text-decoration: none; padding: 14px 12px; display: block; }
header nav a[aria-current="page"] { background: rgba(255,255,255,.18); font-weight: 600; }
header .who { margin-left: auto; display: flex; align-items: center; gap: 12px; }
header .who form { margin: 0; }
main { padding: 20px 24px 40px; max-width: 1400px; }
h1 { font-size: 22px; margin: 0 0 16px; }
h2 { font-size: 18px; margin: 28px 0 10px; }
table { border-collapse: collapse; width: 100%; background: #fff; border: 1px solid var(--line); }
th, td { text-align: left; vertical-align: top; padding: 8px 10px; border-bottom: 1px solid var(--line); }
th { background: #eef2f7; font-weight: 600; white-space: nowrap; }
caption { text-align: left; padding: 6px 0; color: #4a5561; }
.notice { padding: 10px 14px; border-radius: 4px; margin-bottom: 16px; border: 1px solid; }
.notice.ok { background: #e8f5ec; border-color: #9fd2ae; color: var(--ok); }
.notice.error { background: #fdecec; border-color: #f1a9ab; color: var(--err); }
.muted { color: #5b6673; }
.badge { display: inline-block; padding: 1px 8px; border-radius: 10px; background: #e4e9f0; font-size: 13px; white-space: nowrap; }
.badge.ok { background: #dcf1e3; color: var(--ok); } .badge.warn { background: #fff1cc; color: #7a5200; } .badge.err { background: #fbdcdc; color: var(--err); }
table.audit td { overflow-wrap: anywhere; } table.audit td:nth-child(6) { max-width: 420px; }
tr.overdue td { background: #fdf0f0; } tr.overdue td:first-child { box-shadow: inset 4px 0 0 var(--err); }
button, .button { font: inherit; padding: 6px 14px; border-radius: 4px; border: 1px solid var(--blue); background: var(--blue); color: #fff; cursor: pointer; }
button.secondary { background: #fff; color: var(--blue); }
button.danger { background: #fff; color: var(--err); border-color: var(--err); }
button:disabled { opacity: .5; cursor: not-allowed; }
input, select, textarea { font: inherit; padding: 5px 8px; border: 1px solid #9aa5b1; border-radius: 4px; }
label { font-weight: 600; display: block; margin-bottom: 2px; }
.field { margin-bottom: 12px; }
.field-error { display: block; color: var(--err); font-size: 13px; } [aria-invalid="true"] { border-color: var(--err); }
.actions form { margin: 0 0 8px; display: flex; gap: 6px; align-items: flex-end; flex-wrap: wrap; }
.actions label { font-weight: 400; font-size: 13px; }
.filters { display: flex; gap: 12px; align-items: flex-end; flex-wrap: wrap; margin-bottom: 16px; }
.filters .field { margin: 0; }
.pager { margin: 8px 0; display: flex; gap: 12px; flex-wrap: wrap; align-items: baseline; }
.login { max-width: 380px; margin: 60px auto; background: #fff; border: 1px solid var(--line); padding: 24px 28px; border-radius: 6px; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: 4px 20px; margin: 0 0 20px; }
dt { font-weight: 600; color: #4a5561; } dd { margin: 0; }
pre { background: #fff; border: 1px solid var(--line); padding: 10px; overflow: auto; font-size: 13px; }
:focus-visible { outline: 3px solid #f0b400; outline-offset: 1px; }
`);

export function renderPage(p: {
  title: string;
  user?: PageUser | undefined;
  current: Section;
  notice?: Notice | undefined;
  body: SafeHtml;
  /** Extra head elements the code writes (a page's own refresh while work runs). */
  head?: SafeHtml | undefined;
}): string {
  const nav = p.user
    ? html`<nav aria-label="Chức năng"><ul>${NAV.filter((n) => p.user && can(p.user.role, n.permission)).map(
        (n) =>
          html`<li><a href="${n.href}"${n.section === p.current ? trusted(' aria-current="page"') : ''}>${n.label}</a></li>`,
      )}</ul></nav>
      <div class="who"><span>${p.user.displayName} (<span class="muted" style="color:#cfe0f2">${p.user.username}</span>, ${ROLE_LABEL[p.user.role]})</span>
        <form method="post" action="/logout"><input type="hidden" name="_csrf" value="${p.user.csrfToken}"><button type="submit" class="secondary">Đăng xuất</button></form></div>`
    : '';
  const notice = p.notice
    ? html`<div class="notice ${p.notice.kind}" role="${p.notice.kind === 'error' ? 'alert' : 'status'}">${p.notice.text}</div>`
    : '';
  return `<!doctype html>${html`<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title} · Bảng điều khiển hộp thư công vụ</title><style>${STYLE}</style>${p.head ?? ''}</head>
<body><a class="skip" href="#noi-dung">Bỏ qua, tới nội dung chính</a>
<header><div class="brand">Hộp thư công vụ · Vận hành</div>${nav}</header>
<main id="noi-dung"><h1>${p.title}</h1>${notice}${p.body}</main></body></html>`}`;
}
