import { GraphQLRequestError } from '@talent-hub/examples/client';
import { escapeHtml } from './format.js';
import { param, setParams } from './url.js';

// The pieces every page is made of: filters bound to the URL, and the loading, empty and error states.

export interface Filter {
  name: string;
  label: string;
  /** Options of a select (value, text); a date or text input without. */
  options?: readonly (readonly [string, string])[];
  type?: 'date' | 'text';
  fallback: string;
}

/** The value of a filter: its URL parameter, or its default. */
export const filterValue = (filter: Filter) => param(filter.name) ?? filter.fallback;

/** A form of filters whose every change goes into the URL (and so re-renders the page). */
export function filtersForm(filters: readonly Filter[]): HTMLFormElement {
  const form = document.createElement('form');
  form.className = 'filters';
  form.innerHTML = filters
    .map((f) => {
      const value = filterValue(f);
      const control = f.options
        ? `<select name="${f.name}">${f.options.map(([v, text]) => `<option value="${escapeHtml(v)}"${v === value ? ' selected' : ''}>${escapeHtml(text)}</option>`).join('')}</select>`
        : `<input name="${f.name}" type="${f.type ?? 'text'}" value="${escapeHtml(value)}" />`;
      return `<label>${escapeHtml(f.label)}${control}</label>`;
    })
    .join('');
  form.addEventListener('change', (event) => {
    const target = event.target as HTMLInputElement | HTMLSelectElement;
    const filter = filters.find((f) => f.name === target.name);
    // The default is left out of the URL, so that the plain page address shows the default view.
    if (filter) setParams({ [filter.name]: target.value === filter.fallback ? undefined : target.value });
  });
  form.addEventListener('submit', (event) => event.preventDefault());
  return form;
}

export type StateKind = 'loading' | 'empty' | 'error';

export function showState(container: HTMLElement, kind: StateKind, text: string): void {
  container.innerHTML = `<div class="state ${kind}" data-state="${kind}" role="${kind === 'error' ? 'alert' : 'status'}">${escapeHtml(text)}</div>`;
}

/** What went wrong, for the error state: a refused token says to sign in again. */
export function describeError(error: unknown): string {
  if (error instanceof GraphQLRequestError) {
    if (error.status === 401 || error.codes.includes('UNAUTHENTICATED')) return `The graph refused the token: sign in again. (${error.message})`;
    return `The graph answered with an error: ${error.message}`;
  }
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs a page's work with the loading state shown in `body`, and the error state if it fails (unless the page was
 * left meanwhile). The work replaces the loading state with its content, or with the empty state.
 */
export async function load(body: HTMLElement, signal: AbortSignal, work: () => Promise<void>): Promise<void> {
  showState(body, 'loading', 'Loading…');
  try {
    await work();
  } catch (error) {
    if (!signal.aborted) showState(body, 'error', describeError(error));
  }
}

/** A page's heading and filters; returns the element its content goes in. */
export function pageFrame(main: HTMLElement, title: string, intro: string, filters: readonly Filter[] = []): HTMLElement {
  main.innerHTML = `<h2>${escapeHtml(title)}</h2><p class="note">${escapeHtml(intro)}</p>`;
  if (filters.length > 0) main.append(filtersForm(filters));
  const body = document.createElement('div');
  body.className = 'page-body';
  main.append(body);
  return body;
}

/** A table from rows of cells (already formatted text); columns named in `numeric` are right-aligned. */
export function table(headers: readonly string[], rows: readonly (readonly string[])[], numeric: readonly number[] = []): HTMLTableElement {
  const element = document.createElement('table');
  const cell = (tag: 'th' | 'td', text: string, i: number) => `<${tag}${numeric.includes(i) ? ' class="number"' : ''}>${escapeHtml(text)}</${tag}>`;
  element.innerHTML =
    `<thead><tr>${headers.map((h, i) => cell('th', h, i)).join('')}</tr></thead>` +
    `<tbody>${rows.map((row) => `<tr>${row.map((text, i) => cell('td', text, i)).join('')}</tr>`).join('')}</tbody>`;
  return element;
}
