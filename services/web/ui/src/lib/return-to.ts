/**
 * Where to go after signing in: the `next` query parameter when it is a path of this site (never another
 * origin, so a crafted link cannot send someone elsewhere after they sign in), else the fallback.
 */
export function returnTarget(search: string, fallback: string): string {
  const next = new URLSearchParams(search).get('next')
  // A path of this origin: one leading slash, not `//host` or `/\host`, which browsers read as another host.
  return next && /^\/(?![/\\])/.test(next) ? next : fallback
}

/** The sign-in page's address that comes back to `path` afterwards. */
export const signInHref = (path: string) => `/signin?next=${encodeURIComponent(path)}`
