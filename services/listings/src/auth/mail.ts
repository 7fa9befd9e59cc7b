import nodemailer from 'nodemailer'

/** A plain-text mail to one address. */
export interface Mail {
  to: string
  subject: string
  text: string
}

/**
 * Where account mails (verification links, "an account exists") go: SMTP when configured, otherwise the
 * development log. One method, as `SmsChannel` has, so tools and tests can put their own in place.
 */
export interface MailChannel {
  /** A name for logs, e.g. `smtp` or `dev-log`. */
  readonly name: string
  send(mail: Mail): Promise<void>
  close?(): void
}

/** Sends through SMTP (nodemailer), as messaging's email channel does with the same SMTP_URL and MAIL_FROM. */
export function smtpMail(opts: { smtpUrl: string; from: string }): MailChannel {
  const transport = nodemailer.createTransport(opts.smtpUrl)
  return {
    name: 'smtp',
    async send(mail) {
      await transport.sendMail({
        from: opts.from,
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        headers: { 'Content-Language': 'zh-CN' },
      })
    },
    close: () => transport.close(),
  }
}

/**
 * Development and test only: without SMTP the mail is written to the service log, marked so nobody takes
 * it for a sent mail (like `devLogSms`). buildApp never uses it when NODE_ENV is production.
 */
export function devLogMail(log: { warn(obj: object, msg: string): void }): MailChannel {
  return {
    name: 'dev-log',
    async send(mail) {
      // The text is in the message itself, on one line, since `pnpm start` prints only the message of each
      // log line and tools find a link by its recipient on the same line.
      const text = mail.text.replace(/\s*\n\s*/g, ' ')
      log.warn({ devMail: mail }, `DEV MAIL — not sent (SMTP_URL not set) — to ${mail.to}: ${mail.subject} — ${text}`)
    },
  }
}
