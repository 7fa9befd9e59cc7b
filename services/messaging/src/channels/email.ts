import nodemailer from 'nodemailer'
import type { Channel } from './channel.ts'

/** The email channel over SMTP (nodemailer), with List-Unsubscribe so mail clients offer the opt-out too. */
export function emailChannel(opts: { smtpUrl: string; from: string }): Channel & { close(): void } {
  const transport = nodemailer.createTransport(opts.smtpUrl)
  return {
    name: 'email',
    addressOf: (recipient) => recipient.email,
    async send(address, message) {
      const footer =
        message.language === 'en'
          ? `Open: ${message.url}\n\nStop these emails: ${message.unsubscribeUrl}`
          : `查看：${message.url}\n\n不再接收此类邮件：${message.unsubscribeUrl}`
      await transport.sendMail({
        from: opts.from,
        to: address,
        subject: message.subject,
        text: `${message.text}\n\n${footer}\n`,
        headers: {
          'Content-Language': message.language,
          'List-Unsubscribe': `<${message.unsubscribeUrl}>`,
        },
      })
    },
    close: () => transport.close(),
  }
}
