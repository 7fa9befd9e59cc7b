import { randomUUID } from 'node:crypto'
import t from 'tap'
import { solveChallenge } from '../src/surveys/challenge.ts'
import { type Person, person, testApp } from './helpers.ts'
import { answerAnonymously, people, publishedSurvey, surveyBody } from './survey-fixtures.ts'

const NOW = '2026-12-01T00:00:00Z'

const elderlyPhone = { group: 'elderly', district: 'pd', wants: ['phone'], score: 4 }

t.test('building and publishing', async (t) => {
  const h = await testApp(t, { now: NOW, env: { SURVEY_CHALLENGE_BITS: '8' } })
  const { org, admin, stranger } = await people()

  const denied = await h.app.inject({
    method: 'POST',
    url: '/v1/surveys',
    headers: stranger.headers,
    payload: surveyBody(org),
  })
  t.equal(denied.statusCode, 403)
  const bad = await h.app.inject({
    method: 'POST',
    url: '/v1/surveys',
    headers: admin.headers,
    payload: {
      ...surveyBody(org),
      questions: [{ id: 'x', type: 'single', title: '只有一个选项', options: [{ id: 'a', label: '甲' }] }],
    },
  })
  t.equal(bad.statusCode, 400, 'a choice needs two options')

  const created = await h.app.inject({
    method: 'POST',
    url: '/v1/surveys',
    headers: admin.headers,
    payload: surveyBody(org),
  })
  t.equal(created.statusCode, 201, created.body)
  const id = created.json().id
  t.equal(created.json().status, 'draft')
  t.equal((await h.app.inject({ method: 'GET', url: `/v1/surveys/${id}` })).statusCode, 404, 'a draft is private')
  const early = await answerAnonymously(h, id, elderlyPhone).catch(() => undefined)
  t.equal(early, undefined, 'no form, no challenge, for a draft')

  const published = await h.app.inject({
    method: 'POST',
    url: `/v1/surveys/${id}/publish`,
    headers: admin.headers,
    payload: { closesAt: '2026-12-08T00:00:00Z' },
  })
  t.equal(published.statusCode, 200, published.body)
  const form = (await h.app.inject({ method: 'GET', url: `/v1/surveys/${id}` })).json()
  t.equal(form.open, true)
  t.equal(form.link, `/surveys/${id}`)
  t.equal(form.challenge.bits, 8)

  h.clock.set('2026-12-09T00:00:00Z')
  const late = await h.app.inject({
    method: 'POST',
    url: `/v1/surveys/${id}/responses`,
    headers: admin.headers,
    payload: { answers: elderlyPhone },
  })
  t.equal(late.statusCode, 409)
  t.equal(late.json().code, 'survey_closed')
})

t.test('answering', async (t) => {
  const h = await testApp(t, { now: NOW, env: { SURVEY_CHALLENGE_BITS: '8', SURVEY_ANONYMOUS_PER_HOUR: '3' } })
  const { org, admin, worker, stranger } = await people()
  const id = await publishedSurvey(h, admin, org)
  const post = (payload: object, headers: Record<string, string> = {}, ip = '127.0.0.9') =>
    h.app.inject({ method: 'POST', url: `/v1/surveys/${id}/responses`, headers, payload, remoteAddress: ip })

  t.test('anonymous: once per device, with a solved challenge', async (t) => {
    const device = randomUUID()
    const first = await answerAnonymously(h, id, elderlyPhone, device)
    t.equal(first.statusCode, 201, first.body)
    t.equal(first.json().enteredByGridWorker, false)
    const again = await answerAnonymously(h, id, elderlyPhone, device)
    t.equal(again.statusCode, 409)
    t.equal(again.json().code, 'already_answered')
    const unsolved = await post({ answers: elderlyPhone, deviceId: randomUUID() })
    t.equal(unsolved.statusCode, 400)
    t.equal(unsolved.json().code, 'challenge_failed')
    const form = (await h.app.inject({ method: 'GET', url: `/v1/surveys/${id}` })).json()
    const wrong = await post({
      answers: elderlyPhone,
      deviceId: randomUUID(),
      challenge: { token: form.challenge.token, solution: 'not-it' },
    })
    t.equal(wrong.json().code, 'challenge_failed', 'a wrong solution fails (1 in 256 it would not: bits=8)')
  })

  t.test('anonymous answers from one address are rate limited', async (t) => {
    const codes = []
    for (let i = 0; i < 4; i++)
      codes.push((await answerAnonymously(h, id, elderlyPhone, randomUUID(), '127.0.0.3')).statusCode)
    t.same(codes, [201, 201, 201, 429])
  })

  t.test('a solved challenge buys one answer, not one per made-up device', async (t) => {
    const form = (await h.app.inject({ method: 'GET', url: `/v1/surveys/${id}` })).json()
    const challenge = {
      token: form.challenge.token,
      solution: solveChallenge(form.challenge.token, form.challenge.bits),
    }
    const first = await post({ answers: elderlyPhone, deviceId: randomUUID(), challenge }, {}, '127.0.0.4')
    t.equal(first.statusCode, 201, first.body)
    const reused = await post({ answers: elderlyPhone, deviceId: randomUUID(), challenge }, {}, '127.0.0.4')
    t.equal(reused.statusCode, 400)
    t.equal(reused.json().code, 'challenge_failed')
  })

  t.test('two answers sent at once from one device: one is taken', async (t) => {
    const device = randomUUID()
    const both = await Promise.all([
      answerAnonymously(h, id, elderlyPhone, device, '127.0.0.5'),
      answerAnonymously(h, id, elderlyPhone, device, '127.0.0.6'),
    ])
    t.same(both.map((r) => (r.statusCode === 201 ? 201 : r.json().code)).sort(), [201, 'already_answered'])
  })

  t.test('a survey closed to anonymous answers asks to sign in, and offers no challenge', async (t) => {
    const created = await h.app.inject({
      method: 'POST',
      url: '/v1/surveys',
      headers: admin.headers,
      payload: { ...surveyBody(org), allowAnonymous: false },
    })
    const closed = created.json().id
    await h.app.inject({
      method: 'POST',
      url: `/v1/surveys/${closed}/publish`,
      headers: admin.headers,
      payload: { closesAt: '2026-12-31T00:00:00Z' },
    })
    const form = (await h.app.inject({ method: 'GET', url: `/v1/surveys/${closed}` })).json()
    t.equal(form.open, true)
    t.equal(form.challenge, null)
    const res = await h.app.inject({
      method: 'POST',
      url: `/v1/surveys/${closed}/responses`,
      payload: { answers: elderlyPhone, deviceId: randomUUID() },
    })
    t.equal(res.statusCode, 401)
    t.equal(
      (
        await h.app.inject({
          method: 'POST',
          url: `/v1/surveys/${closed}/responses`,
          headers: (await person()).headers,
          payload: { answers: elderlyPhone },
        })
      ).statusCode,
      201,
      'a signed-in person answers',
    )
  })

  t.test('signed in: once per person; required questions and option ids are checked', async (t) => {
    const someone = await person()
    t.equal((await post({ answers: elderlyPhone }, someone.headers)).statusCode, 201)
    const twice = await post({ answers: elderlyPhone }, someone.headers)
    t.equal(twice.json().code, 'already_answered')
    const missing = await post(
      { answers: { group: 'elderly', wants: ['nope'], score: 9, extra: 'x' } },
      (await person()).headers,
    )
    t.equal(missing.statusCode, 400)
    t.same(
      missing
        .json()
        .errors.map((e: { path: string }) => e.path)
        .sort(),
      ['body.answers.extra', 'body.answers.score', 'body.answers.wants'],
    )
  })

  t.test('a grid worker of the organization enters answers for residents, marked as such', async (t) => {
    const one = await post({ answers: elderlyPhone, onBehalf: true }, worker.headers)
    const two = await post({ answers: elderlyPhone, onBehalf: true }, worker.headers)
    t.equal(one.statusCode, 201)
    t.equal(two.statusCode, 201, 'a worker enters many residents')
    t.equal(one.json().enteredByGridWorker, true)
    t.equal((await post({ answers: elderlyPhone, onBehalf: true }, stranger.headers)).statusCode, 403)
    t.equal((await post({ answers: elderlyPhone, onBehalf: true })).statusCode, 401)
  })
})

t.test('results', async (t) => {
  const h = await testApp(t, { now: NOW, env: { SURVEY_CHALLENGE_BITS: '4' } })
  const { org, admin, worker, stranger } = await people()
  const id = await publishedSurvey(h, admin, org)
  const enter = (answers: object) =>
    h.app.inject({
      method: 'POST',
      url: `/v1/surveys/${id}/responses`,
      headers: worker.headers,
      payload: { answers, onBehalf: true },
    })
  // 6 elderly in Pudong want phone training (5 of them also a room), 2 young people in Huangpu want legal advice.
  for (let i = 0; i < 6; i++)
    await enter({ group: 'elderly', district: 'pd', wants: i < 5 ? ['phone', 'room'] : ['phone'], score: 4 })
  for (let i = 0; i < 2; i++)
    await enter({ group: 'youth', district: 'hp', wants: ['law'], score: 2, say: `希望多办讲座${i}` })
  const results = (viewer?: Person, format = '') =>
    h.app.inject({ method: 'GET', url: `/v1/surveys/${id}/results${format}`, headers: viewer ? viewer.headers : {} })

  t.test('the organization sees every count, percentage and text', async (t) => {
    const r = (await results(admin)).json()
    t.equal(r.responses, 8)
    t.equal(r.gridWorkerEntries, 8)
    t.equal(r.suppressed, false)
    const wants = r.questions.find((q: { questionId: string }) => q.questionId === 'wants')
    t.same(
      wants.options.map((o: { count: number; percent: number }) => [o.count, o.percent]),
      [
        [6, 75],
        [2, 25],
        [5, 62.5],
      ],
    )
    const score = r.questions.find((q: { questionId: string }) => q.questionId === 'score')
    t.equal(score.mean, 3.5)
    const say = r.questions.find((q: { questionId: string }) => q.questionId === 'say')
    t.same(
      say.texts.map((x: { status: string }) => x.status),
      ['pending', 'pending'],
    )
    const byGroup = r.crossTabs.find(
      (c: { by: string; questionId: string }) => c.by === 'target_group' && c.questionId === 'wants',
    )
    t.same(byGroup.rows[0], { group: '老年人', respondents: 6, counts: { phone: 6, law: 0, room: 5 } })
    t.same(byGroup.rows[1], { group: '青少年', respondents: 2, counts: { phone: 0, law: 2, room: 0 } })
    const byDistrict = r.crossTabs.find(
      (c: { by: string; questionId: string }) => c.by === 'district' && c.questionId === 'wants',
    )
    t.same(byDistrict.rows[1], { group: '黄浦区', respondents: 2, counts: { phone: 0, law: 2, room: 0 } })
  })

  t.test('beyond the organization, cells under 5 are suppressed and only approved texts show', async (t) => {
    for (const viewer of [stranger, undefined]) {
      const r = (await results(viewer)).json()
      t.equal(r.suppressed, true)
      const wants = r.questions.find((q: { questionId: string }) => q.questionId === 'wants')
      t.same(
        wants.options.map((o: { count: number | null; percent: number | null }) => [o.count, o.percent]),
        [
          [6, 75],
          [null, null],
          [5, 62.5],
        ],
      )
      const byGroup = r.crossTabs.find(
        (c: { by: string; questionId: string }) => c.by === 'target_group' && c.questionId === 'wants',
      )
      t.same(byGroup.rows[1], { group: '青少年', respondents: null, counts: { phone: 0, law: null, room: 0 } })
      t.same(r.questions.find((q: { questionId: string }) => q.questionId === 'say').texts, [])
    }
    const mine = (await results(admin)).json()
    const text = mine.questions.find((q: { questionId: string }) => q.questionId === 'say').texts[0]
    const approve = (who: Person) =>
      h.app.inject({
        method: 'PATCH',
        url: `/v1/surveys/${id}/texts/${text.id}`,
        headers: who.headers,
        payload: { status: 'approved' },
      })
    t.equal((await approve(worker)).statusCode, 403, 'admins moderate, not every member')
    t.equal((await approve(admin)).statusCode, 200)
    const shown = (await results(stranger)).json().questions.find((q: { questionId: string }) => q.questionId === 'say')
    t.same(
      shown.texts.map((x: { text: string }) => x.text),
      [text.text],
    )
  })

  t.test('a result becomes a need on the board, through the community feed, with its evidence', async (t) => {
    const need = {
      kind: 'expertise',
      title: '老年人智能手机培训',
      city: '上海',
      district: '浦东新区',
      window: { start: '2026-12-10T01:00:00Z', end: '2026-12-20T10:00:00Z' },
      attendees: 20,
    }
    const raise = (who: Person, payload: object) =>
      h.app.inject({ method: 'POST', url: `/v1/surveys/${id}/needs`, headers: who.headers, payload })
    t.equal((await raise(worker, { questionId: 'wants', optionId: 'phone', need })).statusCode, 403)
    t.equal((await raise(admin, { questionId: 'say', optionId: 'x', need })).statusCode, 400)
    const raised = await raise(admin, { questionId: 'wants', optionId: 'phone', need })
    t.equal(raised.statusCode, 201, raised.body)
    t.equal(raised.json().evidence, '「您最需要哪些服务？」75%（6/8）选择了「智能手机培训」；其中 100% 的老年人（6/6）')
    const feed = await h.app.inject({
      method: 'GET',
      url: '/v1/events',
      headers: { authorization: `Bearer ${'s'.repeat(40)}` },
    })
    const event = feed.json().events.find((e: { type: string }) => e.type === 'survey.need_requested')
    t.same(event.payload, {
      needId: raised.json().needId,
      organizationId: org,
      surveyId: id,
      evidence: raised.json().evidence,
      need: { ...need, description: '', tags: [] },
    })
    const listed = (await h.app.inject({ method: 'GET', url: `/v1/surveys/${id}/needs` })).json()
    t.same(
      listed.items.map((n: { needId: string }) => n.needId),
      [raised.json().needId],
    )
  })

  t.test('a result becomes a draft activity of the organization, opening with its evidence', async (t) => {
    const activity = {
      title: '老年人智能手机培训班',
      description: '每周二下午',
      category: 'training',
      targetGroups: ['elderly'],
      start: '2026-12-15T06:00:00Z',
      end: '2026-12-15T08:00:00Z',
      signUpDeadline: '2026-12-14T06:00:00Z',
      place: { kind: 'address', district: '浦东新区', address: '张江路 1 号' },
      capacity: 30,
    }
    const draft = (who: Person, payload: object) =>
      h.app.inject({ method: 'POST', url: `/v1/surveys/${id}/activities`, headers: who.headers, payload })
    t.equal((await draft(worker, { questionId: 'wants', optionId: 'phone', activity })).statusCode, 403)
    t.equal((await draft(stranger, { questionId: 'wants', optionId: 'phone', activity })).statusCode, 403)
    t.equal((await draft(admin, { questionId: 'say', optionId: 'x', activity })).statusCode, 400)
    const bad = await draft(admin, {
      questionId: 'wants',
      optionId: 'phone',
      activity: { ...activity, organizationId: randomUUID() },
    })
    t.equal(bad.statusCode, 400, "the organization is the survey's, not the caller's choice")
    const made = await draft(admin, { questionId: 'wants', optionId: 'phone', activity })
    t.equal(made.statusCode, 201, made.body)
    const body = made.json()
    t.equal(body.evidence, '「您最需要哪些服务？」75%（6/8）选择了「智能手机培训」；其中 100% 的老年人（6/6）')
    t.equal(body.activity.status, 'draft')
    t.equal(body.activity.organizationId, org)
    t.equal(
      body.activity.description,
      `需求调查「社区居民需求调查」：${body.evidence}\n\n每周二下午`,
      'the description opens with the result',
    )
    const stored = await h.app.inject({
      method: 'GET',
      url: `/v1/activities/${body.activity.id}`,
      headers: admin.headers,
    })
    t.equal(stored.statusCode, 200)
    t.equal(stored.json().status, 'draft')
    t.equal(
      (await h.app.inject({ method: 'GET', url: `/v1/activities/${body.activity.id}` })).statusCode,
      404,
      "a draft stays the organization's",
    )
  })

  t.test('CSV: UTF-8 with a byte order mark, headers, suppressed cells empty', async (t) => {
    const res = await results(stranger, '?format=csv')
    t.equal(res.statusCode, 200)
    t.match(res.headers['content-type'], /text\/csv/)
    t.equal(res.body.charCodeAt(0), 0xfeff)
    const lines = res.body.slice(1).trimEnd().split('\r\n')
    t.equal(lines[0], '维度 dimension,分组 group,问题 question,选项 option,人数 count,百分比 percent')
    t.ok(lines.includes('all,,您最需要哪些服务？,智能手机培训,6,75'))
    t.ok(lines.includes('all,,您最需要哪些服务？,法律咨询,,'))
    // The share within the group is left out: 5 of 6 elderly would give the group's size away, and with it
    // the 2 young people beside them in the 8 who answered.
    t.ok(lines.includes('target_group,老年人,您最需要哪些服务？,活动场地,5,'))
  })
})
