// Keys shared by the server snapshot and the hooks (no wasm needed).

/** The key of a "today" stats snapshot in `ServerSnapshot.stats`. */
export function statsSeedKey(siteId: string, adsOnly: boolean): string {
  return `${siteId}|today|${adsOnly ? 'ads' : 'all'}`;
}
