import { validationFailed } from '@commons/service-kit'
import { dictionary } from '@zxcvbn-ts/language-common'

/** Characters a password must show once blanks are taken out. */
const MIN_VISIBLE = 8
/** Distinct characters below which a password is a repetition (`aaaaaaaaaaaaaaaa`, `abababab…`). */
const MIN_DISTINCT = 5

// Blanks that are not White_Space: zero-width and other format characters (\p{Cf}), controls, and the
// filler letters that render as nothing.
const BLANK = /[\p{White_Space}\p{Cf}\p{Cc}\u115f\u1160\u3164\uffa0\u2800]/gu

let common: Set<string> | undefined
/** The zxcvbn-ts list of common passwords (about 50,000, ranked by frequency in breaches). */
const commonPasswords = () => {
  common ??= new Set(dictionary['passwords-common'])
  return common
}

/**
 * Why a new password is refused, or undefined when it may be used. The shape rules (length, letters and
 * digits) are in the contract; this adds what needs the word list or Unicode: passwords that are blank to
 * the eye (spaces, zero-width spaces), repetitions, and common passwords, also with a few digits or
 * symbols appended (`password12`, `qwerty2026!`).
 */
export function passwordWeakness(password: string): string | undefined {
  const visible = password.normalize('NFKC').replace(BLANK, '')
  const chars = [...visible]
  if (chars.length < MIN_VISIBLE) return `needs at least ${MIN_VISIBLE} visible characters besides spaces`
  if (new Set(chars.map((c) => c.toLowerCase())).size < MIN_DISTINCT) return 'is too repetitive'
  const lower = visible.toLowerCase()
  const stem = lower.replace(/[^\p{L}]{1,4}$/u, '')
  const list = commonPasswords()
  if (list.has(lower) || (stem.length >= 4 && list.has(stem))) return 'is one of the most common passwords'
  return undefined
}

/** 400 `validation_failed` on `body.password` when the password is weak. */
export function assertStrongPassword(password: string): void {
  const weakness = passwordWeakness(password)
  if (weakness) throw validationFailed([{ path: 'body.password', message: `the password ${weakness}` }])
}
