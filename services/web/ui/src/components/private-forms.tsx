import { AttachPhoneBody, PutListingPrivateDetailsBody, PutOrganizationContactsBody } from '@commons/contracts'
import { useEffect, useState } from 'preact/hooks'
import { api, auth, fieldErrorsOf, loadMe, problemOf, problemText } from '../lib/api.ts'
import { useT } from '../lib/i18n.ts'
import { useStore } from '../lib/store.ts'
import { validate } from '../lib/validate.ts'
import { ErrorNote } from './feedback.tsx'
import { Field } from './field.tsx'
import { PhoneCodeRow } from './phone-code-row.tsx'

/*
 * Forms for what only the other side of a confirmed booking sees: an organization's contacts and a
 * listing's arrival notes and payment terms. Checked with the API's own schemas before sending.
 */

/** An organization's contact person, mobile and WeChat ID (admins and owners). */
export function ContactsForm({ orgId }: { orgId: string }) {
  const t = useT()
  const [v, setV] = useState({ contactPerson: '', mobile: '', wechatId: '' })
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [note, setNote] = useState<string | undefined>()
  const [problem, setProblem] = useState<string | undefined>()
  useEffect(() => {
    void api.GET('/v1/organizations/{id}/contacts', { params: { path: { id: orgId } } }).then(({ data }) => {
      if (data?.contacts) setV({ ...data.contacts, wechatId: data.contacts.wechatId ?? '' })
    })
  }, [orgId])
  const set = (name: keyof typeof v) => (e: Event) =>
    setV((s) => ({ ...s, [name]: (e.target as HTMLInputElement).value }))
  const submit = async (event: Event) => {
    event.preventDefault()
    setNote(undefined)
    const checked = validate(PutOrganizationContactsBody, { ...v, wechatId: v.wechatId.trim() || null })
    if (checked.errors) return setErrors(checked.errors)
    setErrors({})
    const res = await api.PUT('/v1/organizations/{id}/contacts', {
      params: { path: { id: orgId } },
      body: checked.data,
    })
    if (!res.data) {
      setErrors(fieldErrorsOf(problemOf(res)))
      return setProblem(problemText(problemOf(res)))
    }
    setProblem(undefined)
    setV({ ...res.data.contacts!, wechatId: res.data.contacts?.wechatId ?? '' })
    setNote(t('contacts.saved'))
  }
  return (
    <section class="section" aria-labelledby="contacts-title">
      <h2 id="contacts-title">{t('contacts.formTitle')}</h2>
      <form class="card form" onSubmit={submit} noValidate>
        <Field id="c-contactPerson" label={t('contacts.person')} error={errors.contactPerson}>
          {(a) => <input {...a} autoComplete="name" value={v.contactPerson} onInput={set('contactPerson')} />}
        </Field>
        <Field id="c-mobile" label={t('contacts.mobile')} error={errors.mobile}>
          {(a) => <input {...a} type="tel" inputMode="numeric" value={v.mobile} onInput={set('mobile')} />}
        </Field>
        <Field id="c-wechatId" label={t('contacts.wechatId')} error={errors.wechatId}>
          {(a) => <input {...a} value={v.wechatId} onInput={set('wechatId')} />}
        </Field>
        {problem && <ErrorNote>{problem}</ErrorNote>}
        {note && (
          <p class="note" role="status">
            {note}
          </p>
        )}
        <button type="submit" class="btn btn-primary">
          {t('contacts.save')}
        </button>
      </form>
    </section>
  )
}

/** A listing's arrival notes and payment terms (admins and owners of its organization). */
export function ListingPrivateDetailsForm({ listingId }: { listingId: string }) {
  const t = useT()
  const [v, setV] = useState({ arrivalNotes: '', paymentTerms: '' })
  const [saved, setSaved] = useState<typeof v | undefined>()
  const [note, setNote] = useState<string | undefined>()
  const [problem, setProblem] = useState<string | undefined>()
  useEffect(() => {
    void api.GET('/v1/listings/{id}/private-details', { params: { path: { id: listingId } } }).then(({ data }) => {
      if (!data) return
      setV(data.details)
      setSaved(data.details)
    })
  }, [listingId])
  const submit = async (event: Event) => {
    event.preventDefault()
    const checked = validate(PutListingPrivateDetailsBody, v)
    if (checked.errors) return setProblem(Object.values(checked.errors)[0])
    const res = await api.PUT('/v1/listings/{id}/private-details', {
      params: { path: { id: listingId } },
      body: checked.data,
    })
    if (!res.data) return setProblem(problemText(problemOf(res)))
    setProblem(undefined)
    setSaved(checked.data)
    setNote(t('privateDetails.saved'))
  }
  return (
    <details class="card private-details">
      <summary>
        {t('privateDetails.title')}
        {/* Collapsed and empty, the card says what is missing instead of sitting there blank. */}
        {saved && !saved.arrivalNotes && !saved.paymentTerms && (
          <span class="hint private-details-empty">
            {t('arrival.empty')} <span class="link-like">{t('arrival.add')}</span>
          </span>
        )}
      </summary>
      <form class="form" onSubmit={submit} noValidate>
        <Field id="pd-arrival" label={t('privateDetails.arrival')}>
          {(a) => (
            <textarea
              {...a}
              maxLength={1000}
              value={v.arrivalNotes}
              onInput={(e) => setV((s) => ({ ...s, arrivalNotes: (e.target as HTMLTextAreaElement).value }))}
            />
          )}
        </Field>
        <Field id="pd-payment" label={t('privateDetails.payment')}>
          {(a) => (
            <textarea
              {...a}
              maxLength={1000}
              value={v.paymentTerms}
              onInput={(e) => setV((s) => ({ ...s, paymentTerms: (e.target as HTMLTextAreaElement).value }))}
            />
          )}
        </Field>
        {problem && <ErrorNote>{problem}</ErrorNote>}
        {note && (
          <p class="note" role="status">
            {note}
          </p>
        )}
        <button type="submit" class="btn btn-primary">
          {t('privateDetails.save')}
        </button>
      </form>
    </details>
  )
}

/** Adds a verified mobile number to the signed-in account, so it can sign in with a texted code. */
export function PhoneAttach() {
  const t = useT()
  const me = useStore(auth)
  const [phone, setPhone] = useState('')
  const [code, setCode] = useState('')
  const [errors, setErrors] = useState<Record<string, string>>({})
  const [sent, setSent] = useState(false)
  const [problem, setProblem] = useState<string | undefined>()
  const send = async () => {
    const res = await api.POST('/v1/auth/phone/code', { body: { phone } })
    if (res.data) {
      setSent(true)
      setProblem(undefined)
      return
    }
    setErrors(fieldErrorsOf(problemOf(res)))
    setProblem(problemText(problemOf(res)))
  }
  const submit = async (event: Event) => {
    event.preventDefault()
    const checked = validate(AttachPhoneBody, { phone, code })
    if (checked.errors) return setErrors(checked.errors)
    setErrors({})
    const res = await api.PUT('/v1/me/phone', { body: checked.data })
    if (!res.data) return setProblem(problemText(problemOf(res)))
    setProblem(undefined)
    await loadMe()
  }
  const current = me.user?.phone
  return (
    <section class="section" aria-labelledby="phone-title">
      <h2 id="phone-title">{t('phone.attachTitle')}</h2>
      {current ? (
        <p>{t('phone.attached', { phone: current })}</p>
      ) : (
        <form class="card form" onSubmit={submit} noValidate>
          <p class="note">{t('phone.attachLead')}</p>
          <Field id="pa-phone" label={t('phone.number')} error={errors.phone}>
            {(a) => (
              <input
                {...a}
                type="tel"
                inputMode="numeric"
                value={phone}
                onInput={(e) => setPhone((e.target as HTMLInputElement).value)}
              />
            )}
          </Field>
          <PhoneCodeRow id="pa-code" code={code} onCode={setCode} error={errors.code} sent={sent} onSend={send} />
          {problem && <ErrorNote>{problem}</ErrorNote>}
          <button type="submit" class="btn btn-primary">
            {t('phone.attach')}
          </button>
        </form>
      )}
    </section>
  )
}
