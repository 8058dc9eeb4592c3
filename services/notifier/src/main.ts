// The notifier process: its configuration, then the parts in notifier-service.ts on the start-up
// kit (close-with-grace on SIGTERM/SIGINT).
import { runServiceMain } from '@hopthu/shared/service-kit';
import { readConfig } from './config.ts';
import { notifierService } from './notifier-service.ts';

await runServiceMain(notifierService(readConfig()));
