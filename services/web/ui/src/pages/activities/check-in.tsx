import { useEffect, useRef, useState } from 'preact/hooks'
import { ErrorNote } from '../../components/feedback.tsx'
import { Field } from '../../components/field.tsx'
import { api, type Problem, problemOf, problemText } from '../../lib/api.ts'
import { useT } from '../../lib/i18n.ts'
import type { Registration } from './types.ts'

type Detector = { detect: (source: HTMLVideoElement) => Promise<Array<{ rawValue: string }>> }
type DetectorClass = new (opts: { formats: string[] }) => Detector

/**
 * Reads a QR code with the phone's camera where the browser has BarcodeDetector; elsewhere the host types
 * the six digits. Stops the camera when a code is read or the scanner is closed.
 */
function CameraScan({ onCode, onClose }: { onCode: (code: string) => void; onClose: () => void }) {
  const t = useT()
  const video = useRef<HTMLVideoElement>(null)
  const [failed, setFailed] = useState(false)
  useEffect(() => {
    let stream: MediaStream | undefined
    let timer: ReturnType<typeof setTimeout> | undefined
    let live = true
    const Barcode = (window as unknown as { BarcodeDetector: DetectorClass }).BarcodeDetector
    const detector = new Barcode({ formats: ['qr_code'] })
    const scan = async () => {
      if (!live || !video.current) return
      const found = await detector.detect(video.current).catch(() => [])
      const code = found.map((f) => f.rawValue).find((v) => /^\d{6}$/.test(v))
      if (code) return onCode(code)
      timer = setTimeout(scan, 300)
    }
    navigator.mediaDevices
      .getUserMedia({ video: { facingMode: 'environment' } })
      .then(async (s) => {
        stream = s
        if (!video.current || !live) return
        video.current.srcObject = s
        await video.current.play()
        void scan()
      })
      .catch(() => setFailed(true))
    return () => {
      live = false
      clearTimeout(timer)
      for (const track of stream?.getTracks() ?? []) track.stop()
    }
  }, [])
  return (
    <div class="camera-scan">
      {failed ? <ErrorNote>{t('checkIn.cameraFailed')}</ErrorNote> : <video ref={video} muted playsInline />}
      <button type="button" class="btn btn-quiet" onClick={onClose}>
        {t('checkIn.stopCamera')}
      </button>
    </div>
  )
}

/** The host's check-in screen: a code typed (or scanned), the person's name confirmed back. */
export function CheckInForm({ activityId, onCheckedIn }: { activityId: string; onCheckedIn: () => void }) {
  const t = useT()
  const [code, setCode] = useState('')
  const [error, setError] = useState<string | undefined>()
  const [problem, setProblem] = useState<Problem | undefined>()
  const [done, setDone] = useState<Registration | undefined>()
  const [busy, setBusy] = useState(false)
  const [camera, setCamera] = useState(false)
  const canScan = typeof window !== 'undefined' && 'BarcodeDetector' in window && Boolean(navigator.mediaDevices)
  const send = async (value: string) => {
    if (!/^\d{6}$/.test(value)) return setError(t('checkIn.sixDigits'))
    setError(undefined)
    setBusy(true)
    const res = await api.POST('/v1/activities/{id}/check-ins', {
      params: { path: { id: activityId } },
      body: { code: value },
    })
    setBusy(false)
    if (!res.data) {
      setDone(undefined)
      return setProblem(problemOf(res))
    }
    setProblem(undefined)
    setDone(res.data)
    setCode('')
    onCheckedIn()
  }
  return (
    <form
      class="card check-in"
      aria-labelledby="check-in-title"
      onSubmit={(e) => {
        e.preventDefault()
        void send(code.trim())
      }}
      noValidate
    >
      <h2 id="check-in-title">{t('checkIn.title')}</h2>
      <Field id="ci-code" label={t('checkIn.code')} hint={t('checkIn.hint')} error={error}>
        {(a) => (
          <input
            {...a}
            inputMode="numeric"
            autoComplete="off"
            maxLength={6}
            value={code}
            onInput={(e) => setCode((e.target as HTMLInputElement).value.replace(/\D/g, ''))}
          />
        )}
      </Field>
      <div class="actions">
        <button type="submit" class="btn btn-primary" disabled={busy}>
          {t('checkIn.submit')}
        </button>
        {canScan && !camera && (
          <button type="button" class="btn" onClick={() => setCamera(true)}>
            {t('checkIn.scan')}
          </button>
        )}
      </div>
      {camera && (
        <CameraScan
          onCode={(c) => {
            setCamera(false)
            void send(c)
          }}
          onClose={() => setCamera(false)}
        />
      )}
      {done && (
        <p class="notice notice-ok" role="status">
          {done.late
            ? t('checkIn.doneLate', { name: done.displayName })
            : t('checkIn.done', { name: done.displayName })}
        </p>
      )}
      {problem && <ErrorNote>{problemText(problem)}</ErrorNote>}
    </form>
  )
}
