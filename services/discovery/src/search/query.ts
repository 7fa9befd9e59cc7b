import { normalizeScript, pinyinOf, syllables } from './chinese.ts'
import { FILLERS, REWRITES, SYNONYM_GROUPS, VOCABULARY } from './dictionary.ts'

/** A query as discovery searches it. */
export interface PreparedQuery {
  /** What Meilisearch is asked: simplified script, fillers dropped, colloquial words rewritten, typos fixed. */
  text: string
  /** The same without the typo fixes, searched too so a real word is never overruled by a guess. */
  uncorrected: string
  /** The user's words with only the typos fixed ("我想找活动室"), when a typo was fixed. */
  didYouMean?: string
}

const FILLER_SET = new Set(FILLERS)
/** Every word the dictionary knows, so the scan keeps it whole (智能手机 is not 智能 + 手机 → 智能智能手机). */
const KNOWN = new Set<string>([
  ...VOCABULARY,
  ...SYNONYM_GROUPS.flat(),
  ...Object.keys(REWRITES),
  ...Object.values(REWRITES),
])
const LONGEST = Math.max(...[...KNOWN, ...FILLERS].map((w) => w.length))

/** Pinyin → the known word that sounds so (built once; the first of two homophones wins). */
const HOMOPHONES = (() => {
  const map = new Map<string, string>()
  for (const word of [...VOCABULARY, ...SYNONYM_GROUPS.flat()]) {
    if (word.length < 2 || !/^[\u3400-\u9fff]+$/.test(word)) continue
    const py = pinyinOf(word)
    if (py && !map.has(py)) map.set(py, word)
  }
  return map
})()

const CHUNK = /[\u3400-\u9fff\uf900-\ufaff]+|[a-z0-9]+/g

/**
 * Turns what a user typed into what is searched: 開會的地方 → 会议, 我想找活东室 → 活动室 (a homophone typo of
 * a pinyin input method, reported back as `didYouMean`), ppt培训 → 办公软件 培训. Pure and cheap: a dictionary
 * scan, and pinyin only for a Chinese run that holds an unknown word.
 */
export function prepareQuery(raw: string): PreparedQuery {
  const known = prepared.get(raw)
  if (known) return known
  const result = prepareUncached(raw)
  if (prepared.size >= MAX_PREPARED) prepared.clear()
  prepared.set(raw, result)
  return result
}

// The same queries come again and again (the popular ones most); preparing one costs a script conversion.
const prepared = new Map<string, PreparedQuery>()
const MAX_PREPARED = 10_000

function prepareUncached(raw: string): PreparedQuery {
  const normalized = normalizeScript(raw).trim()
  // Words the dictionary knows come first and the rest after: when no listing has every word, search
  // falls back to dropping words from the end, and the words people look for are the ones to keep.
  const text: string[] = []
  const qualifiers: string[] = []
  const uncorrected: string[] = []
  let display = ''
  let corrected = false
  let last = 0
  for (const match of normalized.matchAll(CHUNK)) {
    display += normalized.slice(last, match.index)
    last = match.index + match[0].length
    const chunk = match[0]
    if (!/[\u3400-\u9fff]/.test(chunk[0]!)) {
      const word = REWRITES[chunk] ?? chunk
      // The pinyin of a known word (baogaoting) counts as known.
      ;(chunk in REWRITES || HOMOPHONES.has(chunk) ? text : qualifiers).push(word)
      uncorrected.push(word)
      display += chunk
      continue
    }
    const scanned = scanRun(chunk)
    text.push(...scanned.words)
    qualifiers.push(...scanned.unknown)
    uncorrected.push(...scanned.uncorrected)
    display += scanned.display
    corrected ||= scanned.corrected
  }
  display += normalized.slice(last)
  // A query of nothing but fillers ("附近的") is searched as typed rather than as nothing.
  text.push(...qualifiers)
  const searched = text.length > 0 ? text.join(' ') : normalized
  const result: PreparedQuery = {
    text: searched,
    uncorrected: uncorrected.length > 0 ? uncorrected.join(' ') : normalized,
  }
  if (corrected) result.didYouMean = display
  return result
}

/** Forward maximum matching of one Chinese run against the dictionary, fixing homophone typos on the way. */
function scanRun(run: string) {
  const words: string[] = []
  const unknown: string[] = []
  const uncorrected: string[] = []
  let display = ''
  let corrected = false
  let pending = ''
  let readings: string[] | null | undefined
  const flush = () => {
    if (pending === '') return
    unknown.push(pending)
    uncorrected.push(pending)
    pending = ''
  }
  let i = 0
  outer: while (i < run.length) {
    for (let len = Math.min(LONGEST, run.length - i); len >= 1; len--) {
      const word = run.slice(i, i + len)
      if (FILLER_SET.has(word)) {
        flush()
        display += word
        i += len
        continue outer
      }
      if (len >= 2 && KNOWN.has(word)) {
        flush()
        const rewritten = REWRITES[word] ?? word
        words.push(rewritten)
        uncorrected.push(rewritten)
        display += word
        i += len
        continue outer
      }
    }
    // No known word starts here: is one typed with the wrong characters of the right pinyin?
    if (readings === undefined) {
      const all = syllables(run)
      readings = all.length === run.length ? all : null
    }
    if (readings) {
      for (let len = Math.min(5, run.length - i); len >= 2; len--) {
        const known = HOMOPHONES.get(readings.slice(i, i + len).join(''))
        if (known) {
          flush()
          const rewritten = REWRITES[known] ?? known
          words.push(rewritten)
          uncorrected.push(run.slice(i, i + len))
          display += known
          corrected = true
          i += len
          continue outer
        }
      }
    }
    pending += run[i]
    display += run[i]
    i += 1
  }
  flush()
  return { words, unknown, uncorrected, display, corrected }
}

// Longest first, so a word inside a longer one found already is skipped (报告厅, not also 报告).
const KEYWORDS = [...new Set([...VOCABULARY, ...SYNONYM_GROUPS.flat(), ...Object.values(REWRITES)])]
  .filter((w) => /^[\u3400-\u9fff]{2,}$/.test(w))
  .sort((a, b) => b.length - a.length)

/** The dictionary's Chinese words that occur in `text` (simplified), longest first. */
export function keywordsIn(text: string): string[] {
  const found: string[] = []
  for (const word of KEYWORDS) {
    if (text.includes(word) && !found.some((f) => f.includes(word))) found.push(word)
  }
  return found
}
