import t from 'tap'
import { ledgerCsv } from '../src/ledger/ledger.service.ts'
import { ratingsSetup } from './ratings-support.ts'

t.test('usage ledger', async (t) => {
  const s = await ratingsSetup(t)
  const { p, rate, get } = s
  // 2027-01: two completed bookings (1 h and 3 h), one rated 4; a no-show and a cancellation do not count.
  const a = await s.bookingIn('completed')
  const b = await s.bookingIn('completed', { hours: 3 })
  await s.bookingIn('no_show')
  await s.bookingIn('cancelled')
  await rate(p.requester.token, a.id, { score: 4, comment: '活动室很好用' })
  await rate(p.provider.token, a.id, { score: 5, comment: '团体很守时' })
  await rate(p.requester.token, b.id, { score: 2 }) // still hidden: not in the ledger's average

  t.test('per month: completed bookings, hours, groups, attendees, volunteer hours, average rating', async (t) => {
    for (const url of [
      '/v1/ledger',
      `/v1/ledger/organizations/${s.listing.organizationId}`,
      `/v1/ledger/listings/${s.listing.id}`,
    ]) {
      const res = await get(url)
      t.equal(res.statusCode, 200, res.body)
      t.match(res.headers['content-type'], /application\/json/)
      const ledger = res.json()
      t.equal(ledger.timezone, 'Asia/Shanghai')
      t.same(ledger.months, [
        {
          month: '2027-01',
          completedBookings: 2,
          hoursShared: 4,
          groupsServed: 1,
          attendees: 20,
          volunteerHours: 0,
          averageRating: 4,
          ratings: 1,
        },
      ])
    }
    const other = (await get('/v1/ledger/organizations/00000000-0000-4000-8000-000000000000')).json()
    t.same(other.months, [])
    const range = (await get('/v1/ledger?from=2027-02&to=2027-03')).json()
    t.same(range.months, [], 'months outside the range are left out')
  })

  t.test('CSV by ?format=csv or Accept: text/csv, UTF-8 with a BOM', async (t) => {
    const byQuery = await get('/v1/ledger?format=csv')
    t.equal(byQuery.statusCode, 200)
    t.match(byQuery.headers['content-type'], /^text\/csv; charset=utf-8/)
    const raw = byQuery.rawPayload
    t.same([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'starts with the UTF-8 byte order mark')
    const lines = raw.toString('utf8').slice(1).trimEnd().split('\r\n')
    t.match(lines[0], /^月份 month,完成预约 completed_bookings/)
    t.equal(lines[1], '2027-01,2,4,1,20,0,4,1')
    const byAccept = await s.h.app.inject({ method: 'GET', url: '/v1/ledger', headers: { accept: 'text/csv' } })
    t.match(byAccept.headers['content-type'], /^text\/csv/)
    t.equal(byAccept.body, byQuery.body)
  })

  t.test('no personal data: no email, member name, member id or purpose text', async (t) => {
    for (const format of ['json', 'csv']) {
      for (const url of ['/v1/ledger', `/v1/ledger/organizations/${s.listing.organizationId}`]) {
        const body = (await get(`${url}?format=${format}`)).body
        t.notOk(body.includes('@'), `${url} ${format}: no email`)
        t.notOk(body.includes('党员学习活动'), `${url} ${format}: no purpose text`)
        t.notOk(body.includes('活动室很好用') || body.includes('团体很守时'), `${url} ${format}: no comments`)
        t.notOk(body.includes(p.requester.userId), `${url} ${format}: no member id`)
        t.notOk(body.includes(p.requesterOrg), `${url} ${format}: no requesting group`)
      }
    }
  })

  t.test('CSV cells with commas or quotes are quoted', async (t) => {
    const csv = ledgerCsv({
      scope: { kind: 'all', id: null },
      timezone: 'Asia/Shanghai',
      months: [
        {
          month: '2027-01',
          completedBookings: 1,
          hoursShared: 1.5,
          groupsServed: 1,
          attendees: 3,
          volunteerHours: 0,
          averageRating: null,
          ratings: 0,
        },
      ],
    })
    t.equal(csv.split('\r\n')[1], '2027-01,1,1.5,1,3,0,,0')
  })

  t.test('CSV cells with commas, quotes or line breaks are quoted, quotes doubled (RFC 4180)', async (t) => {
    const month = (label: string) => ({
      month: label,
      completedBookings: 1,
      hoursShared: 1,
      groupsServed: 1,
      attendees: 1,
      volunteerHours: 0,
      averageRating: null,
      ratings: 0,
    })
    const csv = ledgerCsv({
      scope: { kind: 'all', id: null },
      timezone: 'Asia/Shanghai',
      months: [month('a,b'), month('say "hi"'), month('two\nlines'), month('cr\rhere'), month('plain')],
    })
    const body = csv.slice(csv.indexOf('\r\n') + 2)
    t.equal(
      body,
      [
        '"a,b",1,1,1,1,0,,0',
        '"say ""hi""",1,1,1,1,0,,0',
        '"two\nlines",1,1,1,1,0,,0',
        '"cr\rhere",1,1,1,1,0,,0',
        'plain,1,1,1,1,0,,0',
        '',
      ].join('\r\n'),
    )
  })
})
