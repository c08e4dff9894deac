/** Bounds for {@link collectPages}. */
export interface PageBounds {
  /** Items wanted at most; reading stops once this many are in. */
  readonly limit?: number;
  /** Pages read at most. */
  readonly maxPages?: number;
}

/** Reads an SDK paginator's items, page after page, within `bounds`. */
export async function collectPages<Page, Item>(
  pager: AsyncIterable<Page>,
  items: (page: Page) => readonly Item[] | undefined,
  bounds: PageBounds = {},
): Promise<Item[]> {
  const limit = bounds.limit ?? Number.POSITIVE_INFINITY;
  const maxPages = bounds.maxPages ?? Number.POSITIVE_INFINITY;
  const all: Item[] = [];
  let pages = 0;
  for await (const page of pager) {
    all.push(...(items(page) ?? []));
    pages += 1;
    if (all.length >= limit || pages >= maxPages) break;
  }
  return all.slice(0, limit);
}
