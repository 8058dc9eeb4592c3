import { PermanentError } from '@hopthu/shared/inbox';
import { describe, expect, it } from 'vitest';
import { checkedForwarding } from './checked-input.ts';

describe("the mail server's own guard of Bắc Ninh Điều 8 khoản 5", () => {
  it('when a Bắc Ninh alias would send mail on to a private mailbox, then the command is refused for good naming the article', () => {
    const refuse = () => checkedForwarding('motcua@bacninh.gov.vn', ['a@bacninh.gov.vn', 'canbo@gmail.com']);
    expect(refuse).toThrow(PermanentError);
    expect(refuse).toThrow(/Điều 8 khoản 5.*\/.*Điều 8 khoản 5/);
  });

  it("when the targets are the province's or a state body's, or the province has no such rule, then it passes", () => {
    expect(() =>
      checkedForwarding('motcua@bacninh.gov.vn', ['a@bacninh.gov.vn', 'b@mic.gov.vn']),
    ).not.toThrow();
    expect(() => checkedForwarding('a@daknong.gov.vn', ['canbo@gmail.com'])).not.toThrow();
    expect(() => checkedForwarding('a@test.hopthu.local', ['canbo@gmail.com'])).not.toThrow();
  });
});
