import { z } from 'zod'

/** Thrown by `parseConfig` with one line per wrong or missing variable. */
export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

const LogLevel = z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])

/** Variables every service reads. Each service extends this with its own. */
export const BaseConfig = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  HOST: z.string().min(1).default('127.0.0.1'),
  LOG_LEVEL: LogLevel.default('info'),
  /** Requests per minute per client IP before 429. */
  RATE_LIMIT_MAX: z.coerce.number().int().positive().default(600),
  BODY_LIMIT_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(1024 * 1024),
  /**
   * Whose X-Forwarded-For to believe for the client address (rate limits, logs): `loopback` (the web entry
   * point on this machine), `true` (any: behind an ingress), or a comma-separated list of addresses/CIDRs.
   */
  TRUST_PROXY: z.string().min(1).default('loopback'),
  /** Seconds an in-flight request may take to finish after SIGTERM before the process exits anyway. */
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().positive().default(10),
})
export type BaseConfig = z.infer<typeof BaseConfig>

/** A URL that must be http(s). */
export const HttpUrl = z.url({ protocol: /^https?$/ })

/** A Postgres connection string. */
export const PostgresUrl = z.url({ protocol: /^postgres(ql)?$/ })

/** A port number, as env vars carry it. */
export const Port = z.coerce.number().int().min(0).max(65535)

/**
 * Parses the environment with a zod schema into a frozen object. Unknown variables are ignored (the
 * environment holds much else); wrong or missing ones are listed by name.
 */
export function parseConfig<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined>,
): Readonly<z.infer<S>> {
  // Empty strings mean "unset", as in most shells' `VAR= command`.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''))
  const result = schema.safeParse(cleaned)
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = issue.path.join('.') || '(root)'
        return issue.code === 'invalid_type' && cleaned[name] === undefined
          ? `${name}: required but not set`
          : `${name}: ${issue.message}${cleaned[name] === undefined ? '' : ` (got ${JSON.stringify(redact(name, cleaned[name]))})`}`
      }),
    )
  }
  return Object.freeze(result.data)
}

function redact(name: string, value: string | undefined): string | undefined {
  return /KEY|SECRET|TOKEN|PASSWORD/i.test(name) ? '***' : value
}

/** `parseConfig` for entry points: prints the problem and exits with status 78 (EX_CONFIG) when wrong. */
export function loadConfig<S extends z.ZodObject>(
  schema: S,
  env: Record<string, string | undefined>,
): Readonly<z.infer<S>> {
  try {
    return parseConfig(schema, env)
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`)
      process.exit(78)
    }
    throw error
  }
}

/** Variables of a service that owns a database schema and serves a feed. */
export const DataServiceConfig = BaseConfig.extend({
  DATABASE_URL: PostgresUrl,
  /** Shared secret other services present to read this service's feed. */
  SERVICE_TOKEN: z.string().min(32, 'must be at least 32 characters'),
  /** Run feed consumers and timers in this process (off for one-off tools such as the OpenAPI generator). */
  RUN_WORKERS: z.stringbool().default(true),
})
export type DataServiceConfig = z.infer<typeof DataServiceConfig>
