// Filters live in the URL's query string, so that a view can be bookmarked, shared and reloaded as it was.

export const param = (name: string): string | undefined => new URLSearchParams(window.location.search).get(name) || undefined;

/** Sets (or, with undefined or '', removes) query parameters and tells the app to render the page again. */
export function setParams(changes: Record<string, string | undefined>): void {
  const params = new URLSearchParams(window.location.search);
  for (const [name, value] of Object.entries(changes)) {
    if (value === undefined || value === '') params.delete(name);
    else params.set(name, value);
  }
  const query = params.toString();
  navigate(`${window.location.pathname}${query ? `?${query}` : ''}`);
}

export function navigate(href: string): void {
  window.history.pushState(null, '', href);
  window.dispatchEvent(new PopStateEvent('popstate'));
}
