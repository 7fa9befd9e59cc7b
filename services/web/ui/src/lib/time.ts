import { useEffect, useState } from 'preact/hooks'

// setTimeout fires at once for delays above 2^31 - 1 ms (about 24.8 days): longer waits go in steps.
const MAX_DELAY = 2 ** 31 - 1

/** Whether the instant `iso` has passed by this browser's clock; re-renders the moment it does. */
export function useReached(iso: string): boolean {
  const at = Date.parse(iso)
  const [reached, setReached] = useState(() => Date.now() >= at)
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | undefined
    const check = () => {
      const left = at - Date.now()
      setReached(left <= 0)
      if (left > 0) timer = setTimeout(check, Math.min(left, MAX_DELAY))
    }
    check()
    return () => clearTimeout(timer)
  }, [at])
  return reached
}
