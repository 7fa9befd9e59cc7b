import type zhCN from './verify-email.zh-CN.ts'

/** Email verification: the check-your-mail screen and the page a mailed link opens (English). */
const en: Record<keyof typeof zhCN, string> = {
  'verify.checkTitle': 'Check your email',
  'verify.checkBody': 'We sent a message to {email}. Open the link in it to verify your email; you are then signed in.',
  'verify.checkHint': 'The link works for 24 hours, once. Nothing there? Look in the spam folder, or send it again.',
  'verify.resend': 'Send the email again',
  'verify.resendIn': 'Send again in {n} s',
  'verify.resent': 'Sent again: open the newest one.',
  'verify.backToSignIn': 'Back to sign in',
  'verify.title': 'Verify your email',
  'verify.working': 'Verifying…',
  'verify.failed':
    'This link is not valid, was used already or has expired. Sign in with your email and password and we send a new one.',
}

export default en
