// The dependency rule (docs/architecture.md), checked by dependency-cruiser in the lint step of
// ./hopthu test: `npx depcruise services packages --config .dependency-cruiser.cjs`.
//
// - A service's domain/ (its use cases and ports) reaches no entry point (http/, consumers/,
//   app.ts, main.ts), no adapter, and none of fastify, kafkajs or pg; it may hold a Kysely
//   transaction (the use case owns it) but only as a type: queries live in db/.
// - Of @hopthu/shared, domain/ imports only the pure entry points (clock, errors, events, retry,
//   polling, logger, config) and the outbox/inbox writers that run inside its transaction; never
//   http, kafka, db, service or the start-up kit. The pure entry points themselves import no
//   infrastructure, so what domain/ reaches through them stays pure too.
// - Services never import each other; packages never import services.
// - The pure domain packages (naming, calendar) import nothing of the project's infrastructure.
const services = '^services/([^/]+)/';
const domain = '^services/[^/]+/src/domain/';
const infrastructureLibraries = '(^|/)node_modules/(fastify|@fastify/[^/]+|kafkajs|pg|pg-[^/]+|pino|kysely)/';
const sharedInfrastructure =
  '^packages/shared/src/(http|kafka|db|service|service-kit|testing|test-services|agency-client)\\.ts$';
const sharedPure = '^packages/shared/src/(index|clock|errors|events|retry)\\.ts$';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-not-to-entry-points-or-adapters',
      comment:
        'domain/ holds the use cases and the ports; http/, consumers/, app.ts and main.ts call it, adapters/ implement its ports. It imports none of them (a port it needs lives in domain/).',
      severity: 'error',
      from: { path: domain },
      to: { path: '^services/[^/]+/src/(http|consumers|adapters)/|^services/[^/]+/src/(app|main)\\.ts$' },
    },
    {
      name: 'domain-not-to-web-kafka-or-driver',
      comment:
        'domain/ never imports the web framework, the Kafka client or the database driver; those stay behind @hopthu/shared and db/.',
      severity: 'error',
      from: { path: domain },
      to: { path: '(^|/)node_modules/(fastify|@fastify/[^/]+|kafkajs|pg|pg-[^/]+)/' },
    },
    {
      name: 'domain-queries-only-in-db',
      comment:
        'domain/ may name a Kysely or Transaction type (the use case owns the transaction and passes it to db/), but builds no query: sql`…` and the query builder live in db/.',
      severity: 'error',
      from: { path: domain },
      to: { path: '(^|/)node_modules/kysely/', dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'domain-not-to-shared-infrastructure',
      comment:
        "domain/ imports @hopthu/shared's pure entry points (clock, errors, events…) and the outbox/inbox, never its http, kafka, db, service or test modules.",
      severity: 'error',
      from: { path: domain },
      to: { path: sharedInfrastructure },
    },
    {
      name: 'shared-pure-entry-points-stay-pure',
      comment:
        "@hopthu/shared's root and its pure entry points import no infrastructure, so importing them loads no web framework, Kafka client or driver.",
      severity: 'error',
      from: { path: sharedPure },
      to: {
        path: [infrastructureLibraries, '^packages/shared/src/'],
        pathNot: sharedPure,
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'services-not-to-each-other',
      comment: 'Services talk over Kafka topics and HTTP; code they share lives once in packages/.',
      severity: 'error',
      from: { path: services },
      to: { path: '^services/', pathNot: '^services/$1/' },
    },
    {
      name: 'packages-not-to-services',
      comment: 'packages/ are used by services, never the other way round.',
      severity: 'error',
      from: { path: '^packages/' },
      to: { path: '^services/' },
    },
    {
      name: 'pure-packages-not-to-infrastructure',
      comment:
        'naming and calendar are pure domain packages: no @hopthu/shared, no web framework, Kafka client, driver, query builder or logger.',
      severity: 'error',
      from: { path: '^packages/(naming|calendar)/' },
      to: { path: [infrastructureLibraries, '^packages/shared/', '^services/'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)\\.tools/|^var/' },
    // type-only imports count too (a domain file importing an adapter's type still depends on it);
    // rules that only care about what loads at run time say dependencyTypesNot: ['type-only'].
    tsPreCompilationDeps: true,
    tsConfig: { fileName: require('node:path').join(__dirname, 'tsconfig.base.json') },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['module', 'main', 'types', 'typings'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
