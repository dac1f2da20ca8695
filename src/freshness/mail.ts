import nodemailer from 'nodemailer'

/** One e-mail, plain text. messageId is the job's, so that a receiver can tell a resend from a new message. */
export interface Mail { to: string; subject: string; text: string; messageId: string }

/** Where e-mail goes: an SMTP server (SMTP_URL), or without one the log (the job is kept as `logged`). */
/** The little of a logger (the app's pino) that the freshness code writes to. */
export interface Log {
  info(obj: object, msg: string): void
  warn(obj: object, msg: string): void
  error(obj: object, msg: string): void
}

export interface Mailer {
  readonly kind: 'sent' | 'logged'
  send(mail: Mail): Promise<void>
  close(): void
}

export function smtpMailer(url: string, from: string): Mailer {
  const transport = nodemailer.createTransport(url)
  return {
    kind: 'sent',
    async send(mail) {
      await transport.sendMail({ from, to: mail.to, subject: mail.subject, text: mail.text, messageId: mail.messageId })
    },
    close: () => transport.close(),
  }
}

/** Without SMTP_URL: the message is written to the log, links included (a development set-up: see docs/freshness.md). */
export function logMailer(log: Log): Mailer {
  return {
    kind: 'logged',
    async send(mail) { log.info({ mail }, 'e-mail not sent (no SMTP_URL): written to the log') },
    close() {},
  }
}
