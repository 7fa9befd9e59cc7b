/** How a supervised process ended. */
export interface Exit {
  code: number | null
  signal: NodeJS.Signals | null
}

/** One running instance of a supervised unit. */
export interface Running {
  pid: number
  /** Settles when the process has ended, however it ended. */
  exited: Promise<Exit>
  /** Graceful stop; resolves once the process is gone. */
  stop(): Promise<void>
  /** Ends it at once (second Ctrl-C). */
  kill(): void
}

/** Something the supervisor keeps running: a service, Postgres, Meilisearch. */
export interface Unit {
  name: string
  /** Starts one instance; rejects when it cannot start (the supervisor retries with backoff). */
  start(): Promise<Running>
}

/** Restart timing of {@link Supervisor}. */
export interface BackoffOptions {
  /** First restart delay; it doubles with each exit that follows a short run. Default 500 ms. */
  initialMs?: number
  /** Upper bound of the delay. Default 30 s. */
  maxMs?: number
  /** A run at least this long resets the delay. Default 30 s. */
  resetAfterMs?: number
}

interface Slot {
  unit: Unit
  running: Running | undefined
  /** Settles when the restart loop has ended (the unit is stopped and will not start again). */
  loop: Promise<void>
  delayMs: number
  restarts: number
  wake: (() => void) | undefined
}

/**
 * Keeps units running: one that exits while the supervisor is not stopping is started again after a delay
 * that doubles while it keeps failing, with one log line per exit. `pnpm start` supervises every service
 * and the embedded servers with it.
 */
export class Supervisor {
  private readonly slots = new Map<string, Slot>()
  private stopping = false
  private readonly initialMs: number
  private readonly maxMs: number
  private readonly resetAfterMs: number

  constructor(
    private readonly log: (line: string) => void,
    private readonly onChange: (pids: Record<string, number>) => void = () => {},
    backoff: BackoffOptions = {},
  ) {
    this.initialMs = backoff.initialMs ?? 500
    this.maxMs = backoff.maxMs ?? 30_000
    this.resetAfterMs = backoff.resetAfterMs ?? 30_000
  }

  /** Starts `unit` and keeps it running; rejects if the first start fails (nothing is retried then). */
  async add(unit: Unit): Promise<Running> {
    const running = await unit.start()
    const slot: Slot = { unit, running, loop: Promise.resolve(), delayMs: this.initialMs, restarts: 0, wake: undefined }
    this.slots.set(unit.name, slot)
    slot.loop = this.keep(slot, running)
    this.onChange(this.pids())
    return running
  }

  /** The current pid of every unit that is running. */
  pids(): Record<string, number> {
    const pids: Record<string, number> = {}
    for (const [name, slot] of this.slots) if (slot.running) pids[name] = slot.running.pid
    return pids
  }

  /** Stops the named units together (all when none are named) and waits until they are gone. */
  async stop(names: string[] = [...this.slots.keys()]): Promise<void> {
    this.stopping = true
    await Promise.all(
      names.map(async (name) => {
        const slot = this.slots.get(name)
        if (!slot) return
        slot.wake?.()
        await slot.running?.stop()
        await slot.loop
      }),
    )
  }

  /** Ends every unit at once. */
  kill(): void {
    this.stopping = true
    for (const slot of this.slots.values()) {
      slot.wake?.()
      slot.running?.kill()
    }
  }

  private async keep(slot: Slot, first: Running): Promise<void> {
    let running: Running | undefined = first
    let startedAt = Date.now()
    while (!this.stopping) {
      if (running) {
        const exit = await running.exited
        slot.running = undefined
        if (this.stopping) return
        this.onChange(this.pids())
        if (Date.now() - startedAt >= this.resetAfterMs) slot.delayMs = this.initialMs
        const how = exit.signal ? `signal ${exit.signal}` : `code ${exit.code}`
        this.log(`${slot.unit.name} exited (${how}); restarting in ${formatDelay(slot.delayMs)}`)
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, slot.delayMs)
        slot.wake = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      slot.wake = undefined
      if (this.stopping) return
      slot.delayMs = Math.min(slot.delayMs * 2, this.maxMs)
      try {
        running = await slot.unit.start()
      } catch (error) {
        running = undefined
        const reason = String((error as Error).message ?? error).split('\n')[0]
        this.log(`${slot.unit.name} did not start (${reason}); retrying in ${formatDelay(slot.delayMs)}`)
        continue
      }
      slot.restarts++
      startedAt = Date.now()
      if (this.stopping) {
        await running.stop()
        return
      }
      slot.running = running
      this.onChange(this.pids())
    }
  }
}

function formatDelay(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${(ms / 1000).toFixed(ms % 1000 === 0 ? 0 : 1)} s`
}
