// @hopthu/shared: the mechanisms every service uses, once. The root carries only the pure entry
// points (time and ids, errors, event contracts, backoff), so code that imports it loads no web
// framework, Kafka client or database driver. Infrastructure has its own subpath:
// @hopthu/shared/http, /kafka, /db, /outbox, /inbox, /service, /service-kit, /logger, /config.
export * from './clock.ts';
export * from './errors.ts';
export * from './events.ts';
export * from './retry.ts';
