import { randomUUID } from 'node:crypto'
import { LISTINGS_EVENTS } from '@commons/contracts'
import { startSmtpServer } from '@commons/testkit'
import t from 'tap'
import { person, testApp } from './helpers.ts'

t.test(
  'an invitation tells the invitee in-app and by mail, once per refresh, linking to the organizations page',
  async (t) => {
    const smtp = await startSmtpServer()
    t.teardown(() => smtp.close())
    const h = await testApp(t, { env: { SMTP_URL: smtp.url, MAIL_FROM: '共享资源超市 <noreply@commons.example>' } })
    const invitee = await person('陈晓')
    const prefs = await h.app.inject({
      method: 'PUT',
      url: '/v1/notifications/preferences',
      headers: invitee.headers,
      payload: { email: { address: 'invitee@example.com' } },
    })
    t.equal(prefs.statusCode, 200)
    const invitationId = randomUUID()
    const invited = (version: number) => ({
      type: LISTINGS_EVENTS.organizationInvitation,
      entityId: invitationId,
      version,
      payload: {
        invitationId,
        organizationId: randomUUID(),
        organizationName: '徐汇区某居委会',
        userId: invitee.userId,
        role: 'member' as const,
        expiresAt: '2026-12-15T08:00:00+08:00',
      },
    })
    await h.listings(invited(1))
    await h.listings(invited(1)) // delivered again: nothing more
    const list = async () =>
      (await h.app.inject({ method: 'GET', url: '/v1/notifications', headers: invitee.headers })).json()
        .items as Array<{
        type: string
        title: string
        link: string
      }>
    const first = await list()
    t.same(
      first.map((n) => n.type),
      ['organization_invitation'],
    )
    t.match(first[0]?.title, '徐汇区某居委会')
    t.equal(first[0]?.link, '/orgs')
    await h.app.messaging.runDueJobs()
    const mail = await smtp.waitFor((m) => m.to.includes('invitee@example.com'))
    t.match(mail.mail.subject, '邀请你加入')
    await h.listings(invited(2)) // the admin invited again
    t.equal((await list()).length, 2)
  },
)
