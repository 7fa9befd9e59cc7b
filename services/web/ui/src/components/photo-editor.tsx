import { photoUrl } from '@commons/contracts'
import { useState } from 'preact/hooks'
import { type Problem, problemText, uploadPhoto } from '../lib/api.ts'
import { useT } from '../lib/i18n.ts'
import { ErrorNote } from './feedback.tsx'

export interface EditedPhoto {
  id: string
  alt: string
}

/**
 * Uploads photos and edits their order, alt text and removal. The first photo is the cover, so "set as
 * cover" moves a photo to the front.
 */
export function PhotoEditor({
  organizationId,
  photos,
  onChange,
  max = 12,
  error,
}: {
  organizationId: string
  photos: EditedPhoto[]
  onChange: (photos: EditedPhoto[]) => void
  max?: number
  error?: string | undefined
}) {
  const t = useT()
  const [uploading, setUploading] = useState(0)
  const [problem, setProblem] = useState<Problem | undefined>()

  const add = async (files: FileList | null) => {
    if (!files) return
    setProblem(undefined)
    let current = photos
    for (const file of Array.from(files).slice(0, Math.max(0, max - photos.length))) {
      setUploading((n) => n + 1)
      const res = await uploadPhoto(organizationId, file)
      setUploading((n) => n - 1)
      if (res.data) {
        const id = res.data.id
        if (!current.some((p) => p.id === id)) current = [...current, { id, alt: '' }]
        onChange(current)
      } else setProblem(res.error)
    }
  }
  const move = (from: number, to: number) => {
    const next = [...photos]
    const [photo] = next.splice(from, 1)
    next.splice(to, 0, photo!)
    onChange(next)
  }

  return (
    <div class={`field photo-editor${error ? ' has-error' : ''}`}>
      <label for="photo-upload">{t('photos.label')}</label>
      <p class="hint" id="photo-upload-hint">
        {t('photos.hint')}
      </p>
      {photos.length > 0 && (
        <ol class="photo-list">
          {photos.map((p, i) => (
            <li key={p.id} class="photo-item">
              <img src={photoUrl(p.id, 'card')} alt={p.alt || t('photos.nth', { n: i + 1 })} width={160} height={120} />
              {i === 0 ? (
                <span class="badge">{t('photos.cover')}</span>
              ) : (
                <button type="button" class="btn btn-quiet btn-small" onClick={() => move(i, 0)}>
                  {t('photos.makeCover')}
                </button>
              )}
              <label class="photo-alt">
                <span>{t('photos.alt', { n: i + 1 })}</span>
                <input
                  value={p.alt}
                  maxLength={200}
                  onInput={(e) =>
                    onChange(photos.map((x, j) => (j === i ? { ...x, alt: (e.target as HTMLInputElement).value } : x)))
                  }
                />
              </label>
              <div class="photo-actions">
                {i > 0 && (
                  <button
                    type="button"
                    class="btn btn-quiet btn-small"
                    onClick={() => move(i, i - 1)}
                    aria-label={t('photos.earlier', { n: i + 1 })}
                  >
                    ↑
                  </button>
                )}
                {i < photos.length - 1 && (
                  <button
                    type="button"
                    class="btn btn-quiet btn-small"
                    onClick={() => move(i, i + 1)}
                    aria-label={t('photos.later', { n: i + 1 })}
                  >
                    ↓
                  </button>
                )}
                <button
                  type="button"
                  class="btn btn-quiet btn-small"
                  onClick={() => onChange(photos.filter((_, j) => j !== i))}
                >
                  {t('photos.remove', { n: i + 1 })}
                </button>
              </div>
            </li>
          ))}
        </ol>
      )}
      {photos.length < max && (
        <input
          id="photo-upload"
          type="file"
          accept="image/jpeg,image/png,image/webp"
          multiple
          aria-describedby="photo-upload-hint"
          onChange={(e) => {
            const input = e.target as HTMLInputElement
            void add(input.files).finally(() => {
              input.value = ''
            })
          }}
        />
      )}
      {uploading > 0 && <p role="status">{t('photos.uploading')}</p>}
      {problem && <ErrorNote>{problemText(problem)}</ErrorNote>}
      {error && <p class="field-error">{error}</p>}
    </div>
  )
}
