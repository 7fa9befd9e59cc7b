import { useT } from '../../lib/i18n.ts'
import type { Booking, Role } from './types.ts'

type Contacts = NonNullable<Booking['contacts']>
type Person = Contacts['provider']

function ContactLines({ person }: { person: Person }) {
  const t = useT()
  if (!person) return <dd class="note">{t('contacts.none')}</dd>
  return (
    <dd>
      {person.contactPerson} · <a href={`tel:${person.mobile}`}>{person.mobile}</a>
      {person.wechatId && ` · ${t('contacts.wechat')} ${person.wechatId}`}
    </dd>
  )
}

/**
 * Who is on each side of a booking: names from the start; once it is confirmed, the other side's contacts,
 * the address, how to get in and how to pay (the bookings service sends them only then).
 */
export function BookingParties({ booking, role }: { booking: Booking; role: Role[] }) {
  const t = useT()
  const parties = booking.parties
  const contacts = booking.contacts
  const asProvider = role.includes('provider') && !role.includes('requester')
  return (
    <>
      <dl class="facts parties">
        {parties && asProvider && (
          <div>
            <dt>{t('contacts.requester')}</dt>
            <dd>
              {parties.requester.organizationName ?? t('contacts.unknownOrg')}
              {parties.requester.bookerName && ` · ${t('contacts.booker', { name: parties.requester.bookerName })}`}
            </dd>
          </div>
        )}
        {parties && !asProvider && (
          <div>
            <dt>{t('contacts.provider')}</dt>
            <dd>{parties.provider.organizationName ?? t('contacts.unknownOrg')}</dd>
          </div>
        )}
        {contacts ? (
          <>
            <div>
              <dt>{asProvider ? t('contacts.requesterContact') : t('contacts.providerContact')}</dt>
              <ContactLines person={asProvider ? contacts.requester : contacts.provider} />
            </div>
            {contacts.address && (
              <div>
                <dt>{t('contacts.address')}</dt>
                <dd>{contacts.address}</dd>
              </div>
            )}
            {contacts.arrivalNotes && (
              <div>
                <dt>{t('contacts.arrival')}</dt>
                <dd class="prewrap">{contacts.arrivalNotes}</dd>
              </div>
            )}
            {contacts.paymentTerms && (
              <div>
                <dt>{t('contacts.payment')}</dt>
                <dd class="prewrap">{contacts.paymentTerms}</dd>
              </div>
            )}
          </>
        ) : null}
      </dl>
      {!contacts && ['requested', 'pending_payment'].includes(booking.status) && (
        <p class="note">{t('contacts.afterConfirm')}</p>
      )}
    </>
  )
}
