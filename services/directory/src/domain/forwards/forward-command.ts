// A mailbox's forward on the mail server: an alias row on the mailbox's own address whose targets
// are the address itself (a copy kept) and the forward target, so Postfix delivers mail to A to A
// and to T (docs/mail-server.md). The command goes under the mailbox's own id and generation, so it
// is ordered with the mailbox's other commands (a rename or delete before it).
import type { AddressCommand } from '../mailboxes/provisioning-commands.ts';

export function forwardCommand(
  mailbox: { id: string; generation: number; address: string; domain: string },
  forwardTo: string | null,
): AddressCommand {
  const target = {
    id: mailbox.id,
    generation: mailbox.generation,
    address: mailbox.address,
    domain: mailbox.domain,
  };
  return forwardTo
    ? { ...target, action: 'set_alias', aliasTargets: [mailbox.address, forwardTo] }
    : { ...target, action: 'remove_alias' };
}
