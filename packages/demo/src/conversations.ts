import { randomUUID } from 'node:crypto'
import { DEMO_ACCOUNTS, DEMO_PASSWORD } from './load.ts'

/** What `loadDemoConversations` made. */
export interface DemoConversationsSummary {
  bookings: number
  conversations: number
  messages: number
}

// biome-ignore lint/suspicious/noExplicitAny: answers of the public API, read field by field
type Json = any

/**
 * Conversations for the demo accounts to find: the demo member books two rooms of the demo provider (one
 * accepted, one still waiting), and both sides talk about them and about a need of the member's group.
 * A booking and its conversation span three services (listings, bookings, messaging) joined by their event
 * feeds, so this goes through the public API of the running stack (`base`, the web entry point), after
 * `loadDemoData`, waiting for each feed as a person would wait for a page to show a change.
 */
export async function loadDemoConversations(
  base: string,
  log: (line: string) => void = () => {},
  opts: { timeoutMs?: number } = {},
): Promise<DemoConversationsSummary> {
  const timeoutMs = opts.timeoutMs ?? 60_000
  const summary: DemoConversationsSummary = { bookings: 0, conversations: 0, messages: 0 }
  const call = async (method: string, path: string, token?: string, body?: unknown): Promise<Json> => {
    const res = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(method === 'POST' ? { 'idempotency-key': randomUUID() } : {}),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    })
    const text = await res.text()
    if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text.slice(0, 200)}`)
    return text ? JSON.parse(text) : {}
  }
  /** Retries `step` until it succeeds: another service learns of a change through its feed, within seconds. */
  const once = async <T>(what: string, step: () => Promise<T | undefined>): Promise<T> => {
    const deadline = Date.now() + timeoutMs
    let last: unknown
    while (Date.now() < deadline) {
      try {
        const value = await step()
        if (value !== undefined) return value
      } catch (error) {
        last = error
      }
      await new Promise((resolve) => setTimeout(resolve, 500))
    }
    throw new Error(
      `demo conversations: ${what} did not happen (${(last as Error | undefined)?.message ?? 'no answer'})`,
    )
  }
  const signIn = async (email: string) =>
    (await call('POST', '/v1/auth/login', undefined, { email, password: DEMO_PASSWORD })).accessToken as string
  const member = await signIn(DEMO_ACCOUNTS.member.email)
  const provider = await signIn(DEMO_ACCOUNTS.provider.email)
  const memberOrg = (await call('GET', '/v1/me', member)).memberships[0].organizationId as string
  const providerOrg = (await call('GET', '/v1/me', provider)).memberships[0].organizationId as string
  const listings: Json[] = (
    await call('GET', `/v1/organizations/${providerOrg}/listings?status=published&limit=50`, provider)
  ).items
  const listingTitled = (suffix: string) => {
    const found = listings.find((l) => l.title.endsWith(suffix))
    if (!found) throw new Error(`demo conversations: no published listing ending in ${suffix}`)
    return found
  }

  const conversationOf = (subject: { type: 'booking' | 'need'; id: string }, organizationId: string, token: string) =>
    once(`messaging learning of ${subject.type} ${subject.id}`, async () => {
      const opened = await call('POST', '/v1/conversations', token, { subject, organizationId })
      summary.conversations += 1
      return opened.id as string
    })
  const say = async (conversationId: string, token: string, text: string) => {
    await call('POST', `/v1/conversations/${conversationId}/messages`, token, { text })
    summary.messages += 1
  }

  /** A request of the demo member for a free slot (a morning one if any) at least `days` ahead. */
  const book = async (listing: Json, days: number, attendees: number, purpose: string) => {
    const from = new Date(Date.now() + days * 86_400_000).toISOString()
    const to = new Date(Date.now() + (days + 21) * 86_400_000).toISOString()
    // A listing may take bookings of several slots at least (minDurationMinutes): join consecutive free ones.
    const least = Number(listing.rules?.minDurationMinutes ?? 0) * 60_000
    const slot = await once(`bookings learning of ${listing.title}`, async () => {
      const { slots } = await call('GET', `/v1/availability/${listing.id}?from=${from}&to=${to}`)
      const free = (slots as Array<{ start: string; end: string }>).map((s) => ({
        start: Date.parse(s.start),
        end: Date.parse(s.end),
      }))
      const spans = free.flatMap((first) => {
        let end = first.end
        while (end - first.start < least) {
          const next = free.find((s) => s.start === end)
          if (!next) return []
          end = next.end
        }
        return [{ start: first.start, end }]
      })
      return spans.find((s) => new Date(s.start).getUTCHours() === 1) ?? spans[0]
    })
    const booking = await call('POST', '/v1/bookings', member, {
      listingId: listing.id,
      organizationId: memberOrg,
      start: new Date(slot.start).toISOString(),
      end: new Date(slot.end).toISOString(),
      attendees,
      purpose,
    })
    summary.bookings += 1
    return booking.id as string
  }

  // Accepted: the two sides settle the details (contacts and address show on the booking now).
  const hall = await book(listingTitled('多功能厅'), 7, 60, '日晖新村“邻里议事会”年度总结，约 60 位居民代表参加')
  await call('POST', `/v1/bookings/${hall}/accept`, provider, {})
  const hallTalk = await conversationOf({ type: 'booking', id: hall }, memberOrg, member)
  await say(hallTalk, member, '王老师您好，我们需要提前一小时进场布置横幅和签到台，可以吗？')
  await say(
    hallTalk,
    provider,
    '可以的，8 点开门。从东昌路正门进，服务台登记后工作人员带你们上去，投影和话筒都已备好。',
  )
  await say(hallTalk, member, '太好了，谢谢！当天我们的联系人是李秀英。')

  // Still waiting for the provider's answer: the member asks before it is decided.
  const rooftop = await book(listingTitled('屋顶花园'), 10, 20, '楼组长交流会，户外茶话形式')
  const rooftopTalk = await conversationOf({ type: 'booking', id: rooftop }, memberOrg, member)
  await say(rooftopTalk, member, '请问屋顶花园下雨天有备用的室内场地吗？我们约 20 人。')

  // The provider answers the member's group's need for a large hall (联系需求方).
  const needs: Json[] = (await call('GET', `/v1/needs?organizationId=${memberOrg}&limit=50`)).items
  const need = needs.find((n) => n.title.startsWith('楼宇党建联建活动'))
  if (!need) throw new Error('demo conversations: the demo need for a large hall is missing')
  const needTalk = await conversationOf({ type: 'need', id: need.id }, providerOrg, provider)
  await say(needTalk, provider, '您好，我们的多功能厅可容纳 100 人，有投影和音响，您需要的那天下午空着，欢迎来看场地。')
  await say(needTalk, member, '太好了！我们这周四上午过去看看，到时候联系您。')

  log(
    `demo conversations loaded: ${summary.conversations} conversations, ${summary.messages} messages, ` +
      `${summary.bookings} bookings of the demo member`,
  )
  return summary
}
