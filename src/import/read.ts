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
    return { units: [], problems: [{ row: 1, field: '', level: 'error', message: `The file is not JSON that can be read: ${(err as Error).message}` }] }
  }
  return readOruk(data, options)
}
