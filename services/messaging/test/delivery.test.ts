import { randomUUID } from 'node:crypto'
import { startSmtpServer } from '@commons/testkit'
import t from 'tap'
import { bookingScene, type Harness, type Person, testApp } from './helpers.ts'

const notificationsOf = async (h: Harness, who: Person) =>
  (await h.app.inject({ method: 'GET', url: '/v1/notifications', headers: who.headers })).json()

/** Reads a server-sent event stream, resolving each wait with the first event of a name. */
async function openStream(url: string, signal: AbortSignal) {
  const response = await fetch(url, { signal, headers: { accept: 'text/event-stream' } })
  const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader()
  const events: Array<{ event: string; data: unknown }> = []
  let buffer = ''
  const next = async (name: string) => {
    for (;;) {
      const index = events.findIndex((e) => e.event === name)
      if (index >= 0) return events.splice(0, index + 1).at(-1)!.data
      const { value, done } = await reader.read()
      if (done) throw new Error('stream ended')
      buffer += value
      let end = buffer.indexOf('\n\n')
      while (end >= 0) {
        const block = buffer.slice(0, end)
        buffer = buffer.slice(end + 2)
        const event = /^event: (.*)$/m.exec(block)?.[1]
        const data = /^data: (.*)$/m.exec(block)?.[1]
        if (event && data) events.push({ event, data: JSON.parse(data) })
        end = buffer.indexOf('\n\n')
      }
    }
  }
  return { response, next }
}

t.test('the stream delivers a new notification and the unread count as it happens, without polling', async (t) => {
  const h = await testApp(t)
  const s = await bookingScene(h)
  await h.app.listen({ host: '127.0.0.1', port: 0 })
  const { port } = h.app.server.address() as { port: number }
  const ticket = await h.app.inject({
    method: 'POST',
    url: '/v1/notifications/stream-ticket',
    headers: s.booker.headers,
  })
  t.equal(ticket.statusCode, 201)
  const abort = new AbortController()
  t.teardown(() => abort.abort())
  const stream = await openStream(
    `http://127.0.0.1:${port}/v1/notifications/stream?ticket=${encodeURIComponent(ticket.json().ticket)}`,
    abort.signal,
  )
  t.equal(stream.response.status, 200)
  t.match(stream.response.headers.get('content-type'), 'text/event-stream')
  t.same(await stream.next('unread'), { unread: 0 })
  await h.booking(s.booking, 'confirmed')
  const note = (await stream.next('notification')) as { type: string; link: string }
  t.equal(note.type, 'booking_accepted')
  t.equal(note.link, `/bookings/${s.booking.id}`)
  t.same(await stream.next('unread'), { unread: 1 })
  await h.app.inject({
    method: 'POST',
    url: '/v1/notifications/read',
    headers: s.booker.headers,
    payload: { all: true },
  })
  t.same(await stream.next('unread'), { unread: 0 }, 'reading elsewhere updates the bell too')
})

t.test('a stream needs a valid, unexpired ticket or a token', async (t) => {
  const h = await testApp(t)
  const s = await bookingScene(h)
  const forged = await h.app.inject({ method: 'GET', url: '/v1/notifications/stream?ticket=eyJ1IjoieCJ9.AAAA' })
  t.equal(forged.statusCode, 401)
  t.equal(forged.json().code, 'invalid_stream_ticket')
  const ticket = (
    await h.app.inject({ method: 'POST', url: '/v1/notifications/stream-ticket', headers: s.booker.headers })
  ).json()
  h.clock.set(new Date(Date.parse(ticket.expiresAt) + 1000))
  const expired = await h.app.inject({
    method: 'GET',
    url: `/v1/notifications/stream?ticket=${encodeURIComponent(ticket.ticket)}`,
  })
  t.equal(expired.json().code, 'invalid_stream_ticket')
  t.equal((await h.app.inject({ method: 'GET', url: '/v1/notifications/stream' })).statusCode, 401)
  t.equal((await h.app.inject({ method: 'POST', url: '/v1/notifications/stream-ticket' })).statusCode, 401)
})

t.test(
  'the 24 h reminder fires when the clock reaches it, in-app and by email, with a working unsubscribe link',
  async (t) => {
    const smtp = await startSmtpServer()
    t.teardown(() => smtp.close())
    const h = await testApp(t, { env: { SMTP_URL: smtp.url, MAIL_FROM: '共享资源超市 <noreply@commons.example>' } })
    const s = await bookingScene(h)
    for (const [who, address, language] of [
      [s.booker, 'booker@example.com', 'zh-CN'],
      [s.providerAdmin, 'provider@example.com', 'en'],
    ] as const) {
      const res = await h.app.inject({
        method: 'PUT',
        url: '/v1/notifications/preferences',
        headers: who.headers,
        payload: { email: { address }, language },
      })
      t.equal(res.statusCode, 200)
    }
    await h.booking(s.booking, 'confirmed')
    // Confirmation mail goes out now; the reminders wait for their time.
    await h.app.messaging.runDueJobs()
    const accepted = await smtp.waitFor((m) => m.to.includes('booker@example.com'))
    t.match(accepted.mail.subject, '预约已确认')
    t.equal(smtp.received.length, 1)
    t.equal(await h.app.messaging.runDueJobs(new Date('2026-12-04T01:59:00Z')), 0, 'nothing is due before 24 h')

    // The booking starts 2026-12-05T02:00Z: the 24 h reminder is due at 2026-12-04T02:00Z.
    h.clock.set('2026-12-04T02:00:00Z')
    await h.app.messaging.runDueJobs()
    const reminder = await smtp.waitFor(
      (m) => m.to.includes('booker@example.com') && /明天见/.test(m.mail.subject ?? ''),
    )
    t.match(reminder.mail.subject, '二楼多功能厅')
    t.match(reminder.mail.text, '12月5日')
    t.match(reminder.mail.text, `https://commons.example/bookings/${s.booking.id}`)
    t.match(reminder.mail.from?.text, 'noreply@commons.example')
    const english = await smtp.waitFor(
      (m) => m.to.includes('provider@example.com') && /Tomorrow/.test(m.mail.subject ?? ''),
    )
    t.match(english.mail.text, 'Stop these emails')
    t.equal(String(reminder.mail.headers.get('content-language')), 'zh-CN')
    t.ok(
      (await notificationsOf(h, s.booker)).items.some((n: { type: string }) => n.type === 'booking_reminder_24h'),
      'the reminder is in the notification center too',
    )
    t.equal(await h.app.messaging.runDueJobs(), 0, 'each goes out once')

    const unsubscribe = /https:\/\/commons\.example(\/v1\/notifications\/unsubscribe\?token=\S+)/.exec(
      reminder.mail.text ?? '',
    )
    t.ok(unsubscribe, 'the mail has an unsubscribe link')
    const res = await h.app.inject({ method: 'GET', url: unsubscribe![1]! })
    t.equal(res.statusCode, 200)
    const prefs = (
      await h.app.inject({ method: 'GET', url: '/v1/notifications/preferences', headers: s.booker.headers })
    ).json()
    t.equal(prefs.email.enabled, false)
    const tampered = await h.app.inject({ method: 'GET', url: `${unsubscribe![1]!.slice(0, -3)}abc` })
    t.equal(tampered.json().code, 'invalid_unsubscribe_token')

    // Opted out: the 2 h reminder reaches the center only.
    h.clock.set('2026-12-05T00:00:00Z')
    const before = smtp.received.filter((m) => m.to.includes('booker@example.com')).length
    await h.app.messaging.runDueJobs()
    t.ok((await notificationsOf(h, s.booker)).items.some((n: { type: string }) => n.type === 'booking_reminder_2h'))
    await smtp.waitFor((m) => m.to.includes('provider@example.com') && /Starting soon/.test(m.mail.subject ?? ''))
    t.equal(smtp.received.filter((m) => m.to.includes('booker@example.com')).length, before)
  },
)

t.test('a booking that leaves confirmed gets no reminder', async (t) => {
  const h = await testApp(t)
  const s = await bookingScene(h)
  const confirmed = await h.booking(s.booking, 'confirmed')
  await h.booking(confirmed, 'cancelled')
  h.clock.set('2026-12-05T01:00:00Z')
  await h.app.messaging.runDueJobs()
  const types = (await notificationsOf(h, s.booker)).items.map((n: { type: string }) => n.type)
  t.same(types, ['booking_cancelled', 'booking_accepted'])
  // Moved while confirmed: the reminder follows the new start.
  const moved = await h.booking({ ...s.booking, id: randomUUID(), version: 0 }, 'confirmed')
  await h.booking({ ...moved, start: '2026-12-07T02:00:00Z', end: '2026-12-07T03:00:00Z' }, 'confirmed')
  h.clock.set('2026-12-06T02:00:00Z')
  await h.app.messaging.runDueJobs()
  const reminders = (await notificationsOf(h, s.booker)).items.filter(
    (n: { type: string }) => n.type === 'booking_reminder_24h',
  )
  t.equal(reminders.length, 1)
})
