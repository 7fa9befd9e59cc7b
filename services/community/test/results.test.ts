import type { Question } from '@commons/contracts'
import t from 'tap'
import { tallyResults } from '../src/surveys/results.ts'
import { groupQuestion } from './survey-fixtures.ts'

const questions: Question[] = [
  groupQuestion,
  {
    id: 'wants',
    type: 'multiple',
    title: '您最需要哪些服务？',
    required: true,
    options: [
      { id: 'phone', label: '智能手机培训' },
      { id: 'room', label: '活动场地' },
    ],
  },
  { id: 'score', type: 'scale', title: '您对社区服务的满意度', required: true, options: [] },
]

// 6 elderly people (satisfied, 4) want phone training, and 5 of them a room; 2 young people (2) want phone
// training: the young people's 2 is under 5, and every total it belongs to is shown.
const responses = [
  ...Array.from({ length: 6 }, (_, i) => ({
    answers: { group: 'elderly', wants: i < 5 ? ['phone', 'room'] : ['phone'], score: 4 },
    targetGroup: '老年人',
  })),
  ...Array.from({ length: 2 }, () => ({
    answers: { group: 'youth', wants: ['phone'], score: 2 },
    targetGroup: '青少年',
  })),
].map((r) => ({ ...r, district: null, enteredBy: null }))

const tally = (suppress: boolean) =>
  tallyResults({ surveyId: 'survey', title: '需求调查', questions, responses, texts: [], suppress })
const counts = (r: ReturnType<typeof tally>, id: string) =>
  r.questions.find((q) => q.questionId === id)!.options.map((o) => [o.count, o.percent])
const tab = (r: ReturnType<typeof tally>, id: string) => r.crossTabs.find((c) => c.questionId === id)!.rows

t.test('the organization sees every cell', async (t) => {
  const r = tally(false)
  t.same(counts(r, 'group'), [
    [6, 75],
    [2, 25],
    [0, 0],
  ])
  t.equal(r.questions.find((q) => q.questionId === 'score')!.mean, 3.5)
  t.same(tab(r, 'wants')[1], { group: '青少年', respondents: 2, counts: { phone: 2, room: 0 } })
})

t.test('beyond the organization, no hidden cell is a shown total minus the shown cells', async (t) => {
  const r = tally(true)
  t.equal(r.questions[0]!.answered, 8)
  t.same(
    counts(r, 'group'),
    [
      [null, null],
      [null, null],
      [0, 0],
    ],
    '8 answered and 6 elderly would give the 2 young people away',
  )
  t.same(
    counts(r, 'score'),
    [
      [0, 0],
      [null, null],
      [0, 0],
      [null, null],
      [0, 0],
    ],
    'the scale alike',
  )
  t.equal(r.questions.find((q) => q.questionId === 'score')!.mean, null, 'a mean would solve for the hidden scores')
  t.same(
    counts(r, 'wants'),
    [
      [8, 100],
      [5, 62.5],
    ],
    'multiple choices add up to no total: nothing to hide',
  )
  t.same(
    tab(r, 'wants'),
    [
      { group: '老年人', respondents: null, counts: { phone: null, room: 5 } },
      { group: '青少年', respondents: null, counts: { phone: null, room: 0 } },
      { group: '上班族', respondents: 0, counts: { phone: 0, room: 0 } },
    ],
    '8 wanting phone training and 6 elderly among them would give the 2 young people away',
  )
  t.same(
    tab(r, 'score'),
    [
      { group: '老年人', respondents: null, counts: { 1: 0, 2: 0, 3: 0, 4: null, 5: 0 } },
      { group: '青少年', respondents: null, counts: { 1: 0, 2: null, 3: 0, 4: 0, 5: 0 } },
      { group: '上班族', respondents: 0, counts: { 1: 0, 2: 0, 3: 0, 4: 0, 5: 0 } },
    ],
    "the elderly's 6 fours would give the hidden overall count of fours away, and with it the young people's twos",
  )
})
