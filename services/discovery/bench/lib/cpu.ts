import { readdirSync, readFileSync, readlinkSync } from 'node:fs'

// What a load costs the machine, per process, from Linux's /proc. At a saturating load every process of a
// search shares the same two cores, so a p99 follows the CPU one request takes across them; the CPU is
// also steadier from run to run than a tail latency. Elsewhere than Linux these figures are left out.

/** /proc reports times in USER_HZ ticks, which Linux fixes at 100 per second for user space. */
const MS_PER_TICK = 10

/** User + system CPU time `pid` has used so far, in ms; undefined when it cannot be read. */
export function cpuMs(pid: number): number | undefined {
  try {
    // Fields after the command's closing parenthesis, which may itself hold spaces: utime and stime are
    // the 14th and 15th of the whole line, the 12th and 13th after it.
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ')
    return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK
  } catch {
    return undefined
  }
}

/** The process listening on TCP `port` of this machine (Meilisearch when the stack started it), if any. */
export function listeningPid(port: number): number | undefined {
  const inodes = new Set<string>()
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text: string
    try {
      text = readFileSync(table, 'utf8')
    } catch {
      continue
    }
    for (const line of text.split('\n').slice(1)) {
      // sl local_address rem_address st … inode: "0100007F:1F90 00000000:0000 0A", 0A being LISTEN.
      const cols = line.trim().split(/\s+/)
      if (cols.length > 9 && cols[3] === '0A' && Number.parseInt(cols[1]!.split(':')[1]!, 16) === port) {
        inodes.add(`socket:[${cols[9]}]`)
      }
    }
  }
  if (inodes.size === 0) return undefined
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    let fds: string[]
    try {
      fds = readdirSync(`/proc/${entry}/fd`)
    } catch {
      continue
    }
    for (const fd of fds) {
      try {
        if (inodes.has(readlinkSync(`/proc/${entry}/fd/${fd}`))) return Number(entry)
      } catch {
        // The descriptor closed while we looked.
      }
    }
  }
  return undefined
}
