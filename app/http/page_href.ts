/**
 * The link to another page of a list: the query the current page was asked
 * with (its filters, `perPage`, another list's page) with only `param`
 * changed, so that the next page belongs to the same list. The API's
 * `after` cursor is never carried: web lists are numbered pages.
 */
export function pageHref(query: Record<string, unknown>, param: string, page: number) {
  const params = new URLSearchParams()
  for (const [name, value] of Object.entries(query)) {
    if (name === param || name === 'after') {
      continue
    }
    for (const item of Array.isArray(value) ? value : [value]) {
      if (typeof item === 'string' || typeof item === 'number') {
        params.append(name, String(item))
      }
    }
  }
  params.set(param, String(page))
  return `?${params}`
}
