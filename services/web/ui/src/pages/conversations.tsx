import { Conversation } from '../components/conversation.tsx'
import { Empty, ErrorNote, Loading } from '../components/feedback.tsx'
import { PageTitle } from '../components/page-title.tsx'
import { RequireAuth } from '../components/require-auth.tsx'
import { api, problemText } from '../lib/api.ts'
import { formatDateTime, useT } from '../lib/i18n.ts'
import { must, useLoad } from '../lib/load.ts'
import { Link } from '../lib/router.tsx'

/** Where a conversation's subject is shown: a booking has its page; a need sits on the board. */
const subjectHref = (subject: { type: 'booking' | 'need'; id: string }) =>
  subject.type === 'booking' ? `/bookings/${subject.id}` : '/needs'

function ConversationList() {
  const t = useT()
  const list = useLoad(async () => must(await api.GET('/v1/conversations', { params: { query: { limit: 50 } } })), [])
  if (list.loading && !list.data) return <Loading />
  if (!list.data) return <ErrorNote>{problemText(list.error)}</ErrorNote>
  if (list.data.items.length === 0) return <Empty title={t('conversations.empty')} />
  return (
    <ul class="card-list">
      {list.data.items.map((c) => (
        <li key={c.id} class={c.unread > 0 ? 'card conversation-item unread' : 'card conversation-item'}>
          <Link href={`/conversations/${c.id}`}>
            <strong>{c.title}</strong>
          </Link>
          <p class="note">
            {c.requesterOrganization.name} · {c.providerOrganization.name}
          </p>
          {c.lastMessagePreview ? <p>{c.lastMessagePreview}</p> : null}
          <p class="muted">
            {c.unread > 0 ? `${t('conversations.unread', { count: c.unread })} · ` : ''}
            {c.lastMessageAt ? formatDateTime(c.lastMessageAt) : ''}
          </p>
        </li>
      ))}
    </ul>
  )
}

/** One conversation by id: what it is about, the two organizations, then the messages. */
function ConversationDetail({ id }: { id: string }) {
  const t = useT()
  const found = useLoad(async () => must(await api.GET('/v1/conversations/{id}', { params: { path: { id } } })), [id])
  if (found.loading && !found.data) return <Loading />
  if (!found.data)
    return (
      <>
        <PageTitle title={t('conversations.title')}>{t('conversations.title')}</PageTitle>
        <ErrorNote>{problemText(found.error)}</ErrorNote>
      </>
    )
  const c = found.data
  return (
    <>
      <PageTitle title={c.title}>{c.title}</PageTitle>
      <p>
        <Link href="/conversations">{t('conversations.back')}</Link>
      </p>
      <p class="note">
        {t(c.subject.type === 'booking' ? 'conversations.aboutBooking' : 'conversations.aboutNeed')}{' '}
        <Link href={subjectHref(c.subject)}>{c.title}</Link> · {c.requesterOrganization.name} ·{' '}
        {c.providerOrganization.name}
      </p>
      <Conversation id={c.id} />
    </>
  )
}

export default function ConversationsPage({ id }: { id?: string }) {
  const t = useT()
  return (
    <RequireAuth>
      {id ? (
        <ConversationDetail id={id} />
      ) : (
        <>
          <PageTitle title={t('conversations.title')}>{t('conversations.title')}</PageTitle>
          <ConversationList />
        </>
      )}
    </RequireAuth>
  )
}
