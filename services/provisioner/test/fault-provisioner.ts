// A provisioner process for the crash test (faults.test.ts): the real one, started the way main.ts
// starts it, with its mail-server adapter wrapped so that the process SIGKILLs itself right after a
// write for FAULT_ADDRESS reaches the mail server, before the command's result and inbox row
// commit and before its offset. The fault lives here, in test code; production has no such switch.
import type { MailServerAdapter } from '../src/domain/mail-server-adapter.ts';
import { runServiceMain } from '@hopthu/shared/service-kit';
import { readConfig } from '../src/config.ts';
import { provisionerService } from '../src/provisioner-service.ts';

const target = process.env.FAULT_ADDRESS;
if (!target) throw new Error('FAULT_ADDRESS: the address whose mail-server write kills this process');

/** Every write (a method given { address, … }) for the target address: do it, then die. */
function killAfterWriteTo(adapter: MailServerAdapter, address: string): MailServerAdapter {
  return new Proxy(adapter, {
    get(real, key, receiver) {
      const value = Reflect.get(real, key, receiver);
      if (typeof value !== 'function') return value;
      return async (...args: unknown[]) => {
        const result = await value.apply(real, args);
        const input = args[0] as { address?: unknown } | undefined;
        if (typeof input === 'object' && input !== null && input.address === address) {
          console.error(
            JSON.stringify({ msg: 'fault: killing the provisioner after the mail-server write', address }),
          );
          process.kill(process.pid, 'SIGKILL');
        }
        return result;
      };
    },
  });
}

await runServiceMain(
  provisionerService(readConfig(), { wrapAdapter: (adapter) => killAfterWriteTo(adapter, target) }),
);
