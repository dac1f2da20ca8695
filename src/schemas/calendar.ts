import Type from 'typebox'

const example = [
  'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Signpost//Signpost API//EN', 'NAME:Rye Lane Community Choir', 'X-WR-CALNAME:Rye Lane Community Choir',
  'BEGIN:VTIMEZONE', 'TZID:Europe/London', '…', 'END:VTIMEZONE', 'REFRESH-INTERVAL;VALUE=DURATION:PT12H', 'X-PUBLISHED-TTL:PT12H',
  'BEGIN:VEVENT', 'UID:0f6d2c1e-5b4a-4e3d-9c2b-1a0f9e8d7c6b-session-1@signpost', 'SEQUENCE:3', 'DTSTAMP:20261120T163000Z',
  'DTSTART;TZID=Europe/London:20261203T190000', 'DTEND;TZID=Europe/London:20261203T210000',
  'RRULE:FREQ=WEEKLY;UNTIL=20271203T190000Z;BYDAY=TH;WKST=MO', 'EXDATE;TZID=Europe/London:20261224T190000,20261231T190000',
  'SUMMARY:Rye Lane Community Choir', 'LOCATION:Peckham Methodist Church\\n1 Rye Lane\\, London\\, SE15 5EW', 'GEO:51.4693;-0.0692',
  'DESCRIPTION:Every Thursday\\, 7pm to 9pm\\n\\nA friendly choir…\\n\\nRun by Rye Lane Community Choir.\\nPhone: 020 7946 0958',
  'END:VEVENT', 'END:VCALENDAR', '',
].join('\r\n')

export const CalendarSchema = Type.String({
  $id: 'Calendar',
  description: 'An iCalendar feed (RFC 5545, UTF-8): one VEVENT per session that runs in the year ahead, with an RRULE for its pattern, an EXDATE ' +
    'for each except date, break day and bank holiday, times in Europe/London (VTIMEZONE included), the venue as LOCATION and GEO, the session in words ' +
    'and the contact in DESCRIPTION, a UID that stays with the session and SEQUENCE = the scheme\'s version. See docs/calendars.md.',
  examples: [example],
})

export const calendarSchemas = [CalendarSchema]
