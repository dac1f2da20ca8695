import t from 'tap'
import { prefersHtml } from '../../src/http/accept.ts'

t.test('prefersHtml: HTML only when it is preferred to JSON', async (t) => {
  const yes = ['text/html', 'TEXT/HTML', 'text/html;level=1', 'text/*', 'text/html, application/json;q=0.9', 'application/xhtml+xml',
    'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8', 'application/json;q=0.1, text/*;q=0.5']
  const no = [undefined, '', '*/*', 'application/json', 'text/html, application/json', 'text/html;q=0.5, application/json', 'text/html;q=0',
    'text/html;q=0, */*', 'application/*', 'nonsense', 'text/html;q=abc, application/json', 'image/png']
  for (const a of yes) t.equal(prefersHtml(a), true, String(a))
  for (const a of no) t.equal(prefersHtml(a), false, String(a))
})
