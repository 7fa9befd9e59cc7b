import { type AddressInfo, createServer, type Server } from 'node:net'
import { fileURLToPath } from 'node:url'
import { type MeilisearchServer, startMeilisearch } from './meilisearch.ts'
import { type PostgresServer, startPostgres } from './postgres.ts'

export {
  type MeilisearchServer,
  meilisearchBinary,
  type StartMeilisearchOptions,
  startMeilisearch,
} from './meilisearch.ts'
export { type PostgresServer, type ServerExit, type StartPostgresOptions, startPostgres } from './postgres.ts'
export { packagedNativeDir } from './postgres-access.ts'
export { guardDirectory, guardProcess } from './watchdog.ts'

/** Port of the embedded Postgres started by `pnpm start`. */
export const DEFAULT_PG_PORT = 54329
/** Port of the embedded Meilisearch started by `pnpm start`. */
export const DEFAULT_MEILI_PORT = 7701
/** `<repo root>/.data`: where `pnpm start` keeps the embedded servers' data (git-ignored). */
export const DEFAULT_DATA_DIR = fileURLToPath(new URL('../../.data', import.meta.url))

/** Options of {@link ensureStack}. */
export interface EnsureStackOptions {
  dataDir: string
  pgPort: number
  meiliPort: number
  /** Use this Postgres instead of starting one. */
  databaseUrl?: string
  /** Use this Meilisearch instead of starting one (with `meiliKey`, if it needs a key). */
  meiliUrl?: string
  meiliKey?: string
  /** Keep the Postgres cluster on stop (default true); false deletes it and trades durability for speed. */
  persistent?: boolean
  /** Receives the embedded servers' log lines, prefixed with `postgres: ` or `meilisearch: `. */
  log?: (line: string) => void
}

/** Postgres and Meilisearch, embedded or external. */
export interface Stack {
  databaseUrl: string
  meiliUrl: string
  meiliKey: string
  /** Stops what this call started; external servers are left alone. Idempotent. */
  stop(): Promise<void>
}

/**
 * Returns a Postgres and a Meilisearch, starting embedded ones (in parallel) only for what no URL was given
 * for: with both URLs set nothing is started.
 */
export async function ensureStack(opts: EnsureStackOptions): Promise<Stack> {
  const log = opts.log
  const [pgResult, meiliResult] = await Promise.allSettled([
    opts.databaseUrl
      ? undefined
      : startPostgres({
          dataDir: opts.dataDir,
          port: opts.pgPort,
          persistent: opts.persistent ?? true,
          log: log && ((line) => log(`postgres: ${line}`)),
        }),
    opts.meiliUrl
      ? undefined
      : startMeilisearch({
          dataDir: opts.dataDir,
          port: opts.meiliPort,
          log: log && ((line) => log(`meilisearch: ${line}`)),
        }),
  ])
  const started = [pgResult, meiliResult].flatMap((r) => (r.status === 'fulfilled' && r.value ? [r.value] : []))
  const stop = async () => {
    await Promise.all(started.map((server) => server.stop()))
  }
  if (pgResult.status === 'rejected' || meiliResult.status === 'rejected') {
    await stop()
    const errors = [pgResult, meiliResult].flatMap((r) => (r.status === 'rejected' ? [r.reason] : []))
    throw errors.length === 1 ? errors[0] : new AggregateError(errors, 'embedded Postgres and Meilisearch failed')
  }
  const pg = pgResult.value as PostgresServer | undefined
  const meili = meiliResult.value as MeilisearchServer | undefined
  return {
    databaseUrl: pg?.url ?? (opts.databaseUrl as string),
    meiliUrl: meili?.url ?? (opts.meiliUrl as string),
    meiliKey: meili?.masterKey ?? opts.meiliKey ?? '',
    stop,
  }
}

/** A TCP port free on 127.0.0.1 right now (the OS picks it; another process could still take it later). */
export async function freePort(): Promise<number> {
  const [port] = await freePorts(1)
  return port as number
}

/** `count` distinct free ports: all are held open together, so the OS cannot hand out one twice. */
export async function freePorts(count: number): Promise<number[]> {
  const servers = await Promise.all(
    Array.from(
      { length: count },
      () =>
        new Promise<Server>((resolve, reject) => {
          const server = createServer()
          server.unref()
          server.once('error', reject)
          server.listen(0, '127.0.0.1', () => resolve(server))
        }),
    ),
  )
  const ports = servers.map((server) => (server.address() as AddressInfo).port)
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))))
  return ports
}
