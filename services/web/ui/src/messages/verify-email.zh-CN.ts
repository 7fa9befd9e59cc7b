/** Email verification: the check-your-mail screen and the page a mailed link opens (zh-CN). */
export default {
  'verify.checkTitle': '请查收验证邮件',
  'verify.checkBody': '我们向 {email} 发送了一封邮件。请打开邮件中的链接完成验证，验证后会自动登录。',
  'verify.checkHint': '链接 24 小时内有效，只能使用一次。没收到的话，请看看垃圾邮件箱，或者重新发送。',
  'verify.resend': '重新发送验证邮件',
  'verify.resendIn': '{n} 秒后可重新发送',
  'verify.resent': '已重新发送，请查收最新的一封。',
  'verify.backToSignIn': '返回登录',
  'verify.title': '验证邮箱',
  'verify.working': '正在验证……',
  'verify.failed': '这个链接无效、已经用过或已过期。请返回登录，用邮箱和密码登录时我们会再发一封验证邮件。',
} as const
