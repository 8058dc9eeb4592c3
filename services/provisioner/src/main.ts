// The provisioner process: its configuration, then the parts in provisioner-service.ts on the
// start-up kit (close-with-grace on SIGTERM/SIGINT).
import { runServiceMain } from '@hopthu/shared/service-kit';
import { readConfig } from './config.ts';
import { provisionerService } from './provisioner-service.ts';

await runServiceMain(provisionerService(readConfig()));
