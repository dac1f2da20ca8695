/** Reports from the public: what each kind says, in the organisation's e-mail. */
export const REPORT_KINDS = {
  has_ended: 'it has ended',
  wrong_time: 'the times are wrong',
  wrong_place: 'the place is wrong',
  wrong_contact: 'the contact details are wrong',
  other: 'something else is wrong',
} as const
export type ReportKind = keyof typeof REPORT_KINDS

export const REPORT_MESSAGE_MAX = 1000
/** Independent has_ended reports within this window that ask the organisation to confirm at once. */
export const ENDED_REPORTS_FOR_REQUEST = 2
export const REPORT_WINDOW_DAYS = 30
