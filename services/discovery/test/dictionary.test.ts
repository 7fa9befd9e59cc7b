import t from 'tap'
import { normalizeScript } from '../src/search/chinese.ts'
import { FILLERS, REWRITES, SYNONYM_GROUPS, VOCABULARY } from '../src/search/dictionary.ts'
import { synonymGroups } from '../src/search/meili.ts'

// Queries are looked up after normalizeScript, so an entry in any other form could never match.
const wellFormed = (word: string) =>
  word.length > 0 && word.length <= 12 && word === word.trim() && normalizeScript(word) === word && !/\s/.test(word)

t.test('every dictionary word is in the form queries are looked up in', async (t) => {
  const words = [
    ...SYNONYM_GROUPS.flat(),
    ...Object.keys(REWRITES),
    ...Object.values(REWRITES),
    ...FILLERS,
    ...VOCABULARY,
  ]
  const bad = words.filter((w) => !wellFormed(w))
  t.same(bad, [], 'simplified script, lower-case Latin, no spaces, 1-12 characters')
})

t.test('synonym groups have two or more distinct words and no word is in two groups', async (t) => {
  const seen = new Map<string, number>()
  SYNONYM_GROUPS.forEach((group, i) => {
    t.ok(group.length >= 2, `group ${i} (${group.join(', ')}) has at least two words`)
    t.equal(new Set(group).size, group.length, `group ${i} has no repeated word`)
    for (const word of group) {
      t.notOk(seen.has(word), `${word} is only in one group`)
      seen.set(word, i)
    }
  })
})

t.test('rewrites go straight to their word: no chains, no rewriting a filler or to itself', async (t) => {
  for (const [from, to] of Object.entries(REWRITES)) {
    t.not(from, to, `${from} is not rewritten to itself`)
    t.notOk(to in REWRITES, `${from} → ${to} does not chain into another rewrite`)
    t.notOk(FILLERS.includes(from), `${from} is not also a filler`)
    t.notOk(FILLERS.includes(to), `${from} is not rewritten to a filler`)
  }
})

t.test('fillers and vocabulary have no duplicates and never overlap', async (t) => {
  t.equal(new Set(FILLERS).size, FILLERS.length, 'no repeated filler')
  t.equal(new Set(VOCABULARY).size, VOCABULARY.length, 'no repeated vocabulary word')
  t.same(
    VOCABULARY.filter((w) => FILLERS.includes(w)),
    [],
    'no searched-for word is dropped as a filler',
  )
})

t.test('the synonyms pushed to Meilisearch go both ways and include the pinyin of Chinese words', async (t) => {
  const synonyms = synonymGroups(SYNONYM_GROUPS)
  for (const [word, others] of Object.entries(synonyms)) {
    for (const other of others) t.ok(synonyms[other]?.includes(word), `${other} leads back to ${word}`)
  }
  t.ok(synonyms.会议室?.includes('会场'))
  t.ok(synonyms.jiangzuo?.includes('xuanjiang'), 'jiangzuo (讲座) finds what xuanjiang (宣讲) finds')
})
