import t from 'tap'
import { pinyinTokens } from '../src/search/chinese.ts'
import { prepareQuery } from '../src/search/query.ts'

t.test('traditional script and full-width letters are searched as simplified, lower-case text', async (t) => {
  t.equal(prepareQuery('會議室').text, '会议室')
  t.equal(prepareQuery('ＡＥＤ').text, 'aed')
})

t.test('filler words are dropped and verb + object becomes the object', async (t) => {
  t.equal(prepareQuery('开会的地方').text, '会议')
  t.equal(prepareQuery('我想找会议室').text, '会议室')
  t.equal(prepareQuery('哪里可以打篮球').text, '篮球')
  t.equal(prepareQuery('附近的').text, '附近的', 'a query of fillers only is searched as typed')
})

t.test('colloquial words and abbreviations become the words listings use', async (t) => {
  t.equal(prepareQuery('讨薪').text, '劳动权益')
  t.equal(prepareQuery('PPT培训').text, '办公软件 培训')
  t.equal(prepareQuery('智能手机').text, '智能手机', 'a known word is not split into a rewritten part')
})

t.test('a homophone typo of a known word is fixed and reported in the words the user typed', async (t) => {
  const fixed = prepareQuery('我想找活东室')
  t.equal(fixed.text, '活动室')
  t.equal(fixed.uncorrected, '活东室')
  t.equal(fixed.didYouMean, '我想找活动室')
  t.equal(prepareQuery('活动室').didYouMean, undefined, 'a right word is left alone')
  t.equal(prepareQuery('陆家嘴').didYouMean, undefined, 'an unknown word with no known homophone is left alone')
})

t.test('pinyin tokens read polyphones in context and hold full spellings and initials of word spans', async (t) => {
  const { full, initials } = pinyinTokens(['陆家嘴党群中心小会议室', '重庆'])
  for (const token of ['huiyishi', 'lujiazui', 'chongqing']) t.ok(full.includes(token), token)
  t.notOk(full.includes('zhongqing'), '重庆 reads chongqing')
  for (const token of ['hys', 'ljz']) t.ok(initials.includes(token), token)
})

t.test('known words go first, so falling back to fewer words keeps what is looked for', async (t) => {
  t.equal(prepareQuery('重庆 报告厅').text, '报告厅 重庆')
  t.equal(prepareQuery('重庆 baogaoting').text, 'baogaoting 重庆', 'the pinyin of a known word counts as known')
  t.equal(prepareQuery('附近有没有报告厅').text, '报告厅')
})
