// @hopthu/shared: the mechanisms every service uses, once.
export * from './clock.ts';
export * from './config.ts';
export * from './db.ts';
export * from './errors.ts';
export * from './events.ts';
export * from './http.ts';
export * from './inbox.ts';
export * from './kafka.ts';
export * from './logger.ts';
export * from './outbox.ts';
export * from './polling.ts';
export * from './retry.ts';
export * from './service.ts';
