import { readCsv, type ReadOptions } from '../formats/csv/read.ts'
import { readOruk } from '../formats/oruk/read.ts'
import type { ReadResult } from './types.ts'

/** A CSV in the template, or ORUK / HSDS JSON: by the file's name, else by its first character. */
export function readImport(text: string, fileName: string, options: ReadOptions = {}): ReadResult {
  const json = /\.json$/i.test(fileName) || (!/\.csv$/i.test(fileName) && /^\s*[[{]/.test(text.replace(/^\uFEFF/, '')))
  if (!json) return readCsv(text, options)
  let data: unknown
  try {
    data = JSON.parse(text.replace(/^\uFEFF/, ''))
  } catch (err) {
    // V8's message quotes the text: say only where, since the file may not be an export at all.
    const at = /position (\d+)/.exec((err as Error).message)?.[1]
    return { units: [],
      problems: [{ row: 1, field: '', level: 'error', message: `The file is not JSON that can be read${at ? ` (at character ${at})` : ''}` }] }
  }
  return readOruk(data, options)
}
