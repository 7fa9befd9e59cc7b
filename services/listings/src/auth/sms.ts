/**
 * Where text messages go. One method, so a provider (Aliyun SMS, Tencent Cloud SMS) is an implementation of
 * this interface chosen in buildApp, as email is a channel of the messaging service.
 */
export interface SmsChannel {
  /** A name for logs and readiness, e.g. `dev-log`. */
  readonly name: string
  send(to: string, text: string): Promise<void>
}

/**
 * Development and test only: without an SMS provider the message is written to the service log, marked so
 * nobody takes it for a sent message. buildApp never uses it when NODE_ENV is production.
 */
export function devLogSms(log: { warn(obj: object, msg: string): void }): SmsChannel {
  return {
    name: 'dev-log',
    async send(to, text) {
      // The text is in the message itself, since `pnpm start` prints only the message of each log line.
      log.warn({ devSms: { to, text } }, `DEV SMS — not sent (no SMS provider configured) — to ${to}: ${text}`)
    },
  }
}
