import { useEffect, useState } from 'preact/hooks'

/** Whether a CSS media query matches, following changes (a phone turned sideways, a window resized). */
export function useMedia(query: string): boolean {
  const [matches, setMatches] = useState(() => window.matchMedia(query).matches)
  useEffect(() => {
    const list = window.matchMedia(query)
    const update = () => setMatches(list.matches)
    update()
    list.addEventListener('change', update)
    return () => list.removeEventListener('change', update)
  }, [query])
  return matches
}

/** Phones: the width under which the header keeps only the brand and the account tools (styles.css). */
export const PHONE = '(max-width: 40rem)'
