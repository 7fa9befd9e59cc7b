import { useEffect, useState } from 'preact/hooks'
import { useT } from '../../lib/i18n.ts'

/**
 * The survey's link and its QR code (drawn as SVG in the browser by the `qrcode` package, loaded only
 * here), so an organization can print it on a notice or show it on a phone during a visit.
 */
export function SharePanel({ link, title }: { link: string; title: string }) {
  const t = useT()
  const url = new URL(link, window.location.origin).href
  const [svg, setSvg] = useState<string | undefined>()
  const [copied, setCopied] = useState(false)
  useEffect(() => {
    let live = true
    import('qrcode')
      .then((qr) => qr.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' }))
      .then((out) => live && setSvg(out))
      .catch(() => undefined)
    return () => {
      live = false
    }
  }, [url])
  return (
    <section class="section card share-panel" aria-labelledby="share-title">
      <h2 id="share-title">{t('survey.share')}</h2>
      <div class="share-row">
        <label class="visually-hidden" for="share-link">
          {t('survey.shareLink')}
        </label>
        <input id="share-link" readOnly value={url} onFocus={(e) => (e.target as HTMLInputElement).select()} />
        <button
          type="button"
          class="btn"
          onClick={() =>
            void navigator.clipboard?.writeText(url).then(
              () => setCopied(true),
              () => undefined,
            )
          }
        >
          {copied ? t('survey.copied') : t('survey.copy')}
        </button>
      </div>
      {svg && (
        <figure class="qr">
          {/* The SVG is generated locally from the link, never from user HTML. */}
          <div
            class="qr-code"
            role="img"
            aria-label={t('survey.qrAlt', { title })}
            dangerouslySetInnerHTML={{ __html: svg }}
          />
          <figcaption>{t('survey.qrCaption')}</figcaption>
        </figure>
      )}
    </section>
  )
}
