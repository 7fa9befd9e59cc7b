import { useState } from 'preact/hooks'
import { api, type Problem, problemOf, problemText } from '../lib/api.ts'
import { useT } from '../lib/i18n.ts'
import { ErrorNote } from './feedback.tsx'

/** Marks an organization verified (its listings then publish without review); there is no undo in the API. */
export function VerifyButton({ orgId, onDone }: { orgId: string; onDone?: () => void }) {
  const t = useT()
  const [state, setState] = useState<'idle' | 'busy' | 'done'>('idle')
  const [problem, setProblem] = useState<Problem | undefined>()
  const verify = async () => {
    setState('busy')
    const res = await api.POST('/v1/moderation/organizations/{id}/verify', { params: { path: { id: orgId } } })
    if (problemOf(res)) {
      setProblem(problemOf(res))
      setState('idle')
    } else {
      setState('done')
      onDone?.()
    }
  }
  return (
    <>
      {state === 'done' ? (
        <p class="note" role="status">
          {t('moderation.verified')}
        </p>
      ) : (
        <button type="button" class="btn" disabled={state === 'busy'} onClick={() => void verify()}>
          {t('moderation.verify')}
        </button>
      )}
      {problem && <ErrorNote>{problemText(problem)}</ErrorNote>}
    </>
  )
}
