import { describe, expect, it } from 'vitest';
import { escapeHtml, html, time } from './html.ts';
import { renderPage } from './layout.ts';

describe('html', () => {
  it('when a value holds markup, then it is escaped', () => {
    const name = '<script>alert("x")</script> & \'Nguyễn\'';
    expect(html`<td>${name}</td>`.value).toBe(
      '<td>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;Nguyễn&#39;</td>',
    );
  });

  it('when a value is itself html, then it is kept; arrays are joined; null and false vanish', () => {
    const items = ['a<b', 'c'].map((s) => html`<li>${s}</li>`);
    expect(html`<ul>${items}${null}${false}${undefined}</ul>`.value).toBe(
      '<ul><li>a&lt;b</li><li>c</li></ul>',
    );
  });

  it('when an attribute value holds a quote, then it cannot close the attribute', () => {
    expect(html`<input value="${'" onfocus="x'}">`.value).toBe('<input value="&quot; onfocus=&quot;x">');
    expect(escapeHtml("'")).toBe('&#39;');
  });

  it('when a time is shown, then it is in Hanoi time with its ISO value', () => {
    expect(time('2026-11-24T17:30:00Z').value).toBe(
      '<time datetime="2026-11-24T17:30:00.000Z">00:30 25/11/2026</time>',
    );
  });

  it('when a page shows an operator name with <script>, then the page holds no script element from it', () => {
    const page = renderPage({
      title: 'Phê duyệt',
      user: { username: 'op1', displayName: '<script>alert(1)</script>', role: 'operator', csrfToken: 't' },
      current: 'approvals',
      body: html`<p>${'<script>x</script>'}</p>`,
    });
    expect(page).not.toContain('<script>');
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).toMatch(/^<!doctype html>/);
    expect(page).toContain('<html lang="vi">');
  });
});
