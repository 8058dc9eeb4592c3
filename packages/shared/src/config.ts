// Configuration is read once, from the environment only, checked against a TypeBox schema and frozen.
// A service's config.ts is the only place that calls this.
import { type Static, type TObject, Type } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig<T extends TObject>(
  schema: T,
  env: Record<string, string | undefined> = process.env,
): Readonly<Static<T>> {
  const raw: Record<string, unknown> = {};
  for (const key of Object.keys(schema.properties)) {
    if (env[key] !== undefined && env[key] !== '') raw[key] = env[key];
  }
  const withDefaults = Value.Default(schema, raw);
  const converted = Value.Convert(schema, withDefaults);
  if (!Value.Check(schema, converted)) {
    const problems = [...Value.Errors(schema, converted)].map(
      (e) => `${e.path.slice(1) || '(root)'}: ${e.message}`,
    );
    throw new ConfigError(`invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  return Object.freeze(converted as Static<T>);
}

/** Settings every service has. Local defaults match what `./hopthu up` starts. */
export const BaseConfigSchema = {
  HOST: Type.String({ default: '127.0.0.1' }),
  KAFKA_BROKERS: Type.String({ default: '127.0.0.1:9092' }),
  LOG_LEVEL: Type.String({ default: 'info' }),
  /** A directory of the installation's own province policy files (`<id>.json`, docs/provinces.md). */
  PROVINCE_POLICY_DIR: Type.Optional(Type.String({ minLength: 1 })),
};
