import { render } from './render.ts'

/**
 * The OpenActive dataset site for people: the Dataset's name, description and feeds, with the
 * Dataset embedded as JSON-LD (which is what OpenActive's catalogue reads). `<` is escaped in
 * the JSON so that no value can end the script element.
 */
export function datasetSitePage(nonce: string, dataset: Record<string, any>): string {
  return render('openactive.njk', {
    cspNonce: nonce, title: dataset.name, description: dataset.description, license: dataset.license, schemaVersion: dataset.schemaVersion,
    documentation: dataset.documentation, guide: dataset.discussionUrl, feeds: dataset.distribution,
    jsonLd: JSON.stringify(dataset).replace(/</g, '\\u003c'),
  })
}
