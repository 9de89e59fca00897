import { RegistrationsByMonthDocument, type EventKind } from '../../generated/operations.js';
import { drawChart } from '../charts.js';
import { ask } from '../graph.js';
import { count, countOrSuppressed, suppressedText } from '../format.js';
import { filterValue, load, pageFrame, showState, table, type Filter } from '../ui.js';
import { dayStart, kindFilter, regionCode, regionFilter } from './filters.js';

// Registrations per month, stacked by kind of event (registrationStatistics grouped by MONTH and EVENT_KIND).
// A withheld count is no bar; its tooltip and table cell read "fewer than 5".

const fromFilter: Filter = { name: 'from', label: 'Events from', fallback: '', type: 'date' };
const beforeFilter: Filter = { name: 'before', label: 'Events before', fallback: '', type: 'date' };

export async function renderRegistrations(main: HTMLElement, signal: AbortSignal): Promise<void> {
  const body = pageFrame(main, 'Registrations', 'Registrations by month of the event and kind of event, with attendance and completion.', [kindFilter, regionFilter, fromFilter, beforeFilter]);
  await load(body, signal, async () => {
    const kind = filterValue(kindFilter) as EventKind | '';
    const filter = { kind: kind || null, regionCode: regionCode(filterValue(regionFilter)), startsFrom: dayStart(filterValue(fromFilter)), startsBefore: dayStart(filterValue(beforeFilter)) };
    const { registrationStatistics: cells } = await ask(RegistrationsByMonthDocument, { filter }, signal);
    body.replaceChildren();
    if (cells.length === 0) return showState(body, 'empty', 'No registrations for events matching these filters.');
    const months = [...new Set(cells.map((c) => c.month ?? 'unknown'))].sort();
    const kinds = [...new Set(cells.map((c) => c.eventKind ?? 'unknown'))].sort();
    const rows = cells.map((c) => ({
      month: c.month ?? 'unknown',
      kind: c.eventKind ?? 'unknown',
      events: c.events,
      registrations: c.registrations.suppressed ? null : c.registrations.value ?? null,
      suppressed: c.registrations.suppressed,
      text: countOrSuppressed(c.registrations.value, c.registrations.suppressed),
    }));
    drawChart(
      body,
      {
        tooltip: {
          trigger: 'item',
          formatter: (item: { seriesName: string; name: string; data?: { text: string } }) => (item.data ? `${item.name}, ${item.seriesName.toLowerCase()}: ${item.data.text} registrations` : ''),
        },
        legend: { data: kinds, top: 0 },
        grid: { left: 60, right: 20, top: 60, bottom: 40 },
        xAxis: { type: 'category', data: months },
        yAxis: { type: 'value', name: 'registrations' },
        series: kinds.map((kind) => ({
          name: kind,
          type: 'bar',
          stack: 'registrations',
          data: months.map((month) => {
            const row = rows.find((r) => r.month === month && r.kind === kind);
            if (!row) return { value: '-', text: '0' };
            return { value: row.suppressed ? '-' : row.registrations, text: row.text };
          }),
        })),
      },
      { rows },
    );
    const withheld = rows.filter((r) => r.suppressed).length;
    if (withheld > 0) body.append(Object.assign(document.createElement('p'), { className: 'note', textContent: `${withheld} month and kind cell(s) have ${suppressedText} registrations: no bar is drawn for them.` }));
    body.append(
      table(
        ['Month', 'Kind', 'Events', 'Registrations', 'Attended', 'Completed'],
        [...cells].sort((a, b) => `${a.month}${a.eventKind}`.localeCompare(`${b.month}${b.eventKind}`)).map((c) => [
          c.month ?? 'unknown',
          c.eventKind ?? 'unknown',
          count(c.events),
          countOrSuppressed(c.registrations.value, c.registrations.suppressed),
          countOrSuppressed(c.attended.value, c.attended.suppressed),
          countOrSuppressed(c.completed.value, c.completed.suppressed),
        ]),
        [2, 3, 4, 5],
      ),
    );
  });
}
