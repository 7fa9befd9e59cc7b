import * as OpenCC from 'opencc-js'
import { pinyin } from 'pinyin-pro'

/*
 * Chinese text helpers shared by indexing and search. The converter, the segmenter and the pinyin of
 * repeated words are built once per process and reused: they are pure functions of their input, and
 * building them per request would cost more than the search itself.
 */

// Hong Kong and Taiwan variants both fold to mainland simplified forms (會議室, 會议室 → 会议室).
const traditionalToSimplified = OpenCC.Converter({ from: 'hk', to: 'cn' })
const segmenter = new Intl.Segmenter('zh', { granularity: 'word' })

const CJK_RUN = /[\u3400-\u9fff\uf900-\ufaff]+/g
export const CJK = /[\u3400-\u9fff\uf900-\ufaff]/

/** `text` in simplified script, full-width letters and digits folded to ASCII, Latin in lower case. */
export function normalizeScript(text: string): string {
  const folded = text.normalize('NFKC').toLowerCase()
  return CJK.test(folded) ? traditionalToSimplified(folded) : folded
}

/** Toneless pinyin of each character of a Chinese `run`, polyphonic characters read in context (重庆 → chong qing). */
export function syllables(run: string): string[] {
  // Reverse maximum matching (segmentit 2) reads polyphones by word as well as the default does here, at a
  // tenth of its cost; `v` and `nonZh` options cost more than the conversion itself, so ü is folded after.
  return pinyin(run, { toneType: 'none', type: 'array', segmentit: 2 }).map((s) => s.replaceAll('ü', 'v'))
}

/** The words of `text` as the ICU dictionary segments them (Chinese and Latin alike). */
export function words(text: string): string[] {
  const out: string[] = []
  for (const s of segmenter.segment(text)) if (s.isWordLike) out.push(s.segment)
  return out
}

/** Longest span of consecutive words turned into one pinyin token; 3 covers 会议|室 and 陆|家|嘴. */
const MAX_SPAN_WORDS = 3
const MAX_SPAN_CHARS = 6

/**
 * Pinyin of single words, remembered: the same few thousand words make up nearly every title, tag and
 * organization name, and converting a word costs far more than looking it up. Bounded by starting afresh.
 */
const wordPinyin = new Map<string, string[] | null>()
const MAX_REMEMBERED = 50_000

function syllablesOfWord(word: string): string[] | null {
  let known = wordPinyin.get(word)
  if (known === undefined) {
    const chars = syllables(word)
    known = chars.length === word.length ? chars : null
    if (wordPinyin.size >= MAX_REMEMBERED) wordPinyin.clear()
    wordPinyin.set(word, known)
  }
  return known
}

/**
 * Pinyin tokens of `texts` for the index: for every span of one to three consecutive words of 2-6
 * characters, the full pinyin run together (会议室 → huiyishi) and its initials (hys). A Latin query then
 * matches them as whole words or, for its last word, as a prefix. Polyphonic characters are read within
 * their word (重庆 → chongqing, 银行 → yinhang).
 */
export function pinyinTokens(texts: readonly string[]): { full: string[]; initials: string[] } {
  const full = new Set<string>()
  const initials = new Set<string>()
  for (const text of texts) {
    const tokens = textTokens(text)
    for (const token of tokens.full) full.add(token)
    for (const token of tokens.initials) initials.add(token)
  }
  return { full: [...full], initials: [...initials] }
}

// Tags, organization names and districts repeat across listings: their tokens are remembered too.
const textPinyin = new Map<string, { full: string[]; initials: string[] }>()

function textTokens(text: string): { full: string[]; initials: string[] } {
  const known = textPinyin.get(text)
  if (known) return known
  const full = new Set<string>()
  const initials = new Set<string>()
  for (const run of normalizeScript(text).match(CJK_RUN) ?? []) {
    const spans = words(run).map(syllablesOfWord)
    for (let i = 0; i < spans.length; i++) {
      const part: string[] = []
      for (let j = i; j < Math.min(spans.length, i + MAX_SPAN_WORDS); j++) {
        const word = spans[j]
        if (!word) break
        part.push(...word)
        if (part.length > MAX_SPAN_CHARS) break
        if (part.length < 2) continue
        full.add(part.join(''))
        initials.add(part.map((s) => s[0]).join(''))
      }
    }
  }
  const tokens = { full: [...full], initials: [...initials] }
  if (text.length <= 40) {
    if (textPinyin.size >= MAX_REMEMBERED) textPinyin.clear()
    textPinyin.set(text, tokens)
  }
  return tokens
}

/** Pinyin of a Chinese word run together, or undefined when a character has no reading. */
export function pinyinOf(word: string): string | undefined {
  const chars = syllables(word)
  return chars.length === word.length ? chars.join('') : undefined
}
