import type { ComponentChildren } from 'preact'
import { auth } from '../lib/api.ts'
import { useT } from '../lib/i18n.ts'
import { Link } from '../lib/router.tsx'
import { useStore } from '../lib/store.ts'
import { Loading } from './feedback.tsx'

/** Shows its children to signed-in members; a sign-in link to everyone else. */
export function RequireAuth({ children }: { children: ComponentChildren }) {
  const t = useT()
  const me = useStore(auth)
  if (me.status === 'restoring') return <Loading />
  if (me.status === 'signed-out')
    return (
      <section class="narrow">
        <h1>{t('auth.required')}</h1>
        <p>
          <Link href="/signin" class="btn btn-primary">
            {t('nav.signIn')}
          </Link>
        </p>
      </section>
    )
  return <>{children}</>
}
