/**
 * Runs `close` once on SIGTERM or SIGINT, then exits. If closing takes longer than `timeoutMs` (a stuck
 * request, a hung pool) the process exits anyway with status 1 so an orchestrator is never left waiting.
 */
export function onShutdown(close: () => Promise<void>, opts: { timeoutMs: number; log?: (msg: string) => void }) {
  let closing = false
  const handler = (signal: NodeJS.Signals) => {
    if (closing) return
    closing = true
    opts.log?.(`${signal} received, shutting down`)
    const timer = setTimeout(() => {
      opts.log?.(`shutdown took longer than ${opts.timeoutMs} ms, exiting`)
      process.exit(1)
    }, opts.timeoutMs)
    timer.unref()
    close().then(
      () => process.exit(0),
      (error: unknown) => {
        opts.log?.(`shutdown failed: ${String(error)}`)
        process.exit(1)
      },
    )
  }
  process.once('SIGTERM', handler)
  process.once('SIGINT', handler)
}

/**
 * Listens on the configured host and port and closes the app (draining requests, then the pools and
 * consumers its onClose hooks own) on SIGTERM/SIGINT.
 */
export async function listen(
  app: {
    listen(o: { host: string; port: number }): Promise<string>
    close(): Promise<unknown>
    log: { info(m: string): void }
  },
  config: { HOST: string; PORT: number; SHUTDOWN_TIMEOUT_SECONDS: number },
): Promise<void> {
  await app.listen({ host: config.HOST, port: config.PORT })
  onShutdown(
    async () => {
      await app.close()
    },
    { timeoutMs: config.SHUTDOWN_TIMEOUT_SECONDS * 1000, log: (m) => app.log.info(m) },
  )
}
