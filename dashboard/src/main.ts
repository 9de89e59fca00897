import { disposeCharts, echarts } from './charts.js';
import { renderEvents } from './pages/events.js';
import { renderProgrammes } from './pages/programmes.js';
import { renderRegions } from './pages/regions.js';
import { renderRegistrations } from './pages/registrations.js';
import { renderRetention } from './pages/retention.js';
import { renderSignIn } from './sign-in.js';
import { navigate } from './url.js';

// The dashboard's pages, one per path under the base (/dashboard/programmes, ...), with their filters in the query
// string. The gateway answers every such path with index.html; this file picks the page.

const pages = {
  programmes: { title: 'Programmes', render: renderProgrammes },
  regions: { title: 'Regions', render: renderRegions },
  retention: { title: 'Retention', render: renderRetention },
  registrations: { title: 'Registrations', render: renderRegistrations },
  events: { title: 'Events', render: renderEvents },
} as const;
type PageName = keyof typeof pages;

const base = import.meta.env.BASE_URL;
const main = document.getElementById('page')!;
const nav = document.getElementById('nav')!;
let current: AbortController | undefined;

// The browser tests read the charts' options with echarts.getInstanceByDom; so can anyone in the console.
Object.assign(window, { echarts });

function pageName(): PageName | undefined {
  const path = window.location.pathname.startsWith(base) ? window.location.pathname.slice(base.length) : '';
  const name = path.replace(/\/+$/, '') || 'programmes';
  return name in pages ? (name as PageName) : undefined;
}

function render(): void {
  // A page still loading for the previous address is abandoned: its request is aborted, its answer never drawn.
  current?.abort();
  current = new AbortController();
  disposeCharts();
  const name = pageName();
  nav.innerHTML = Object.entries(pages)
    .map(([key, page]) => `<a href="${base}${key}"${key === name ? ' aria-current="page"' : ''}>${page.title}</a>`)
    .join('');
  document.title = `${name ? pages[name].title : 'Not found'} · Talent Hub dashboard`;
  main.dataset.page = name ?? 'not-found';
  if (!name) {
    main.innerHTML = `<div class="state error" data-state="error" role="alert">No such page. The pages are ${Object.keys(pages).join(', ')}.</div>`;
    return;
  }
  void pages[name].render(main, current.signal);
}

// Links within the dashboard change the page without reloading it.
nav.addEventListener('click', (event) => {
  const link = (event.target as HTMLElement).closest('a');
  if (!link || event.ctrlKey || event.metaKey || event.shiftKey) return;
  event.preventDefault();
  navigate(link.getAttribute('href')!);
});
window.addEventListener('popstate', render);
renderSignIn(document.getElementById('sign-in')!, render);
render();
