import { PROBLEM_CODES, type ProblemCode } from '@commons/contracts'
import t from 'tap'
import { describeFieldError, describeProblem, fieldName } from '../ui/src/lib/problem-text.ts'
import problemsEn from '../ui/src/messages/problems.en.ts'
import problemsZhCN from '../ui/src/messages/problems.zh-CN.ts'

const HAN = /\p{Script=Han}/u
const LATIN_WORD = /[A-Za-z]{2,}/
const CODES = Object.keys(PROBLEM_CODES) as ProblemCode[]

t.test('every problem code the contracts declare has a Chinese and an English message', async (t) => {
  t.ok(CODES.length > 50, 'the catalogue is walked, not an empty list')
  for (const code of CODES) {
    const zh = problemsZhCN[code]
    const en = problemsEn[code]
    t.ok(zh && HAN.test(zh), `${code}: zh-CN is Chinese`)
    t.notOk(LATIN_WORD.test(zh ?? ''), `${code}: zh-CN has no English words (${zh})`)
    t.ok(en && /^[A-Z]/.test(en), `${code}: en is a sentence`)
    t.notOk(HAN.test(en ?? ''), `${code}: en has no Chinese`)
  }
  t.same(Object.keys(problemsZhCN).sort(), [...CODES].sort(), 'no message for a code that does not exist')
  t.same(Object.keys(problemsEn).sort(), [...CODES].sort())
})

t.test("the interface shows the code's message, never the server's detail or title", async (t) => {
  for (const code of CODES) {
    const problem = {
      type: 'about:blank',
      title: 'Conflict',
      status: PROBLEM_CODES[code],
      code,
      detail: `The server says ${code} in English.`,
    }
    t.equal(describeProblem(problem, 'zh-CN'), problemsZhCN[code], code)
    t.equal(describeProblem(problem, 'en'), problemsEn[code], code)
  }
  const foreign = describeProblem({ code: 'something_new', detail: 'Upstream exploded' }, 'zh-CN')
  t.ok(HAN.test(foreign), 'a code we do not know still gets a Chinese sentence')
  t.notMatch(foreign, /Upstream/)
  t.ok(HAN.test(describeProblem(new TypeError('Failed to fetch'), 'zh-CN')), 'a network failure too')
})

t.test('field errors name the field in the person’s language and say what is wrong', async (t) => {
  t.equal(describeFieldError('title', 'Invalid input: expected string, received undefined', 'zh-CN'), '请填写标题')
  t.equal(
    describeFieldError('title', 'Too small: expected string to have >=2 characters', 'zh-CN'),
    '标题：至少 2 个字',
  )
  t.equal(
    describeFieldError('title', 'Too small: expected string to have >=1 characters', 'en'),
    'Please fill in Title',
  )
  t.equal(
    describeFieldError('purpose', 'Too big: expected string to have <=500 characters', 'zh-CN'),
    '用途：最多 500 个字',
  )
  t.equal(describeFieldError('attendees', 'Too small: expected number to be >=1', 'zh-CN'), '人数：不能小于 1')
  t.equal(describeFieldError('location', 'venues need coordinates (lat and lng)', 'zh-CN'), '请填写地点')
  t.equal(describeFieldError('colour', 'unknown field', 'zh-CN'), '填写的内容：不接受这一项')
  t.equal(
    describeFieldError('location.district', 'Invalid string: must match pattern', 'zh-CN'),
    '区填写得不对，请检查',
  )
  t.equal(fieldName('availability.weekly.mon.0.start', 'zh-CN'), '开放时间')
  t.equal(fieldName('tags.3', 'en'), 'Tags')
  for (const message of ['Invalid input', 'expected string, received number', 'Something odd']) {
    t.ok(HAN.test(describeFieldError('name', message, 'zh-CN')), `"${message}" becomes Chinese`)
    t.notMatch(describeFieldError('name', message, 'zh-CN'), /[A-Za-z]/, `"${message}" leaves no English`)
  }
})
