/** One answer of the public API; status 0 when no answer came (refused, reset, timed out). */
export interface Answer {
  status: number
  // biome-ignore lint/suspicious/noExplicitAny: bodies are read field by field
  body: any
  /** The problem `code`, or the network error's code when there was no answer. */
  code: string | undefined
}

/** Calls the public API through the web entry point, JSON in and out, never throwing. */
export async function call(
  base: string,
  method: string,
  path: string,
  opts: { token?: string; body?: unknown; headers?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Answer> {
  try {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...opts.headers,
      },
      body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
      signal: AbortSignal.timeout(opts.timeoutMs ?? 15_000),
    })
    const text = await res.text()
    let body: unknown = {}
    try {
      body = text ? JSON.parse(text) : {}
    } catch {
      body = { text }
    }
    return { status: res.status, body, code: (body as { code?: string }).code }
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause
    return { status: 0, body: {}, code: cause?.code ?? (error as Error).name }
  }
}

/** Like {@link call}, but throws unless the status is the expected one (setup steps, checks). */
export async function expect(status: number, what: string, ...args: Parameters<typeof call>): Promise<Answer['body']> {
  const answer = await call(...args)
  if (answer.status !== status) {
    throw new Error(`${what}: expected ${status}, got ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`)
  }
  return answer.body
}

/** Resolves once `check` returns true, polling every `everyMs`; false when `timeoutMs` passed first. */
export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, everyMs = 200): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true
    await new Promise((resolve) => setTimeout(resolve, everyMs))
  }
  return false
}
