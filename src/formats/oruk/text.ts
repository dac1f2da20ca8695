// Ajv's uri and email formats as ORUK's schemas apply them: a value that would fail them is
// left out rather than published invalid.
const EMAIL = /^[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*@(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/i

export const isEmail = (s: string) => EMAIL.test(s)

export function isUri(s: string): boolean {
  if (!/^https?:\/\/[^\s]+$/i.test(s)) return false
  try {
    return Boolean(new URL(s).host)
  } catch {
    return false
  }
}

const names = new Intl.DisplayNames(['en-GB'], { type: 'language' })

/** 'cy' → 'Welsh'; 'bsl' → 'British Sign Language'. */
export function languageName(code: string): string {
  if (code === 'bsl') return 'British Sign Language'
  try {
    return names.of(code) ?? code
  } catch {
    return code
  }
}
