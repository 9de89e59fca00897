import { EventsWithSeatsDocument, type EventKind } from '../../generated/operations.js';
import { drawChart } from '../charts.js';
import { ask } from '../graph.js';
import { count } from '../format.js';
import { filterValue, load, pageFrame, showState, table, type Filter } from '../ui.js';
import { dayStart, kindFilter, regionCode, regionFilter } from './filters.js';

// Events and the seats left on each (Event.seatsLeft: exact for the organiser's users, within 2 for anyone else).

const fromFilter: Filter = { name: 'from', label: 'Starting from', fallback: '', type: 'date' };
const seatsFilter: Filter = {
  name: 'seats',
  label: 'Show',
  fallback: 'upcoming',
  options: [['upcoming', 'Upcoming events with seats left'], ['left', 'Events with seats left'], ['all', 'All events']],
};
const pageSize = 100;

export async function renderEvents(main: HTMLElement, signal: AbortSignal): Promise<void> {
  const body = pageFrame(main, 'Events', 'Events with their capacity and the seats left.', [kindFilter, regionFilter, fromFilter, seatsFilter]);
  await load(body, signal, async () => {
    const kind = filterValue(kindFilter) as EventKind | '';
    const seats = filterValue(seatsFilter);
    // Upcoming: from now, unless the address names a later (or earlier) first day.
    const startsFrom = dayStart(filterValue(fromFilter)) ?? (seats === 'upcoming' ? new Date().toISOString() : null);
    const { events } = await ask(
      EventsWithSeatsDocument,
      { kind: kind || null, regionCode: regionCode(filterValue(regionFilter)), startsFrom, first: pageSize },
      signal,
    );
    const onlyWithSeats = seats !== 'all';
    // Unlimited capacity (seatsLeft null) always has seats left.
    const shown = events.nodes.filter((e) => e.status !== 'CANCELLED' && (!onlyWithSeats || e.seatsLeft === null || e.seatsLeft > 0));
    body.replaceChildren();
    if (shown.length === 0) return showState(body, 'empty', onlyWithSeats ? 'No event with seats left matches these filters.' : 'No event matches these filters.');
    const limited = shown.filter((e) => e.capacity !== null && e.seatsLeft !== null);
    if (limited.length > 0) {
      const rows = limited.map((e) => ({ id: e.id, title: e.title, capacity: e.capacity!, seatsLeft: e.seatsLeft!, taken: Math.max(0, e.capacity! - e.seatsLeft!) }));
      drawChart(
        body,
        {
          tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
          legend: { data: ['Seats left', 'Seats taken'], top: 5 },
          grid: { left: 260, right: 30, top: 40, bottom: 30 },
          xAxis: { type: 'value', name: 'seats' },
          yAxis: { type: 'category', data: rows.map((r) => r.title), inverse: true, axisLabel: { width: 240, overflow: 'truncate' } },
          series: [
            { name: 'Seats left', type: 'bar', stack: 'seats', data: rows.map((r) => r.seatsLeft), label: { show: true }, itemStyle: { color: '#2f9e44' } },
            { name: 'Seats taken', type: 'bar', stack: 'seats', data: rows.map((r) => r.taken), itemStyle: { color: '#c5ccd3' } },
          ],
        },
        { rows },
        Math.max(240, 90 + rows.length * 24),
      );
    }
    if (events.totalCount > events.nodes.length) {
      body.append(Object.assign(document.createElement('p'), { className: 'note', textContent: `The first ${events.nodes.length} of ${count(events.totalCount)} events by start; narrow the filters to see the others.` }));
    }
    body.append(
      table(
        ['Event', 'Kind', 'Starts', 'Region', 'Organiser', 'Capacity', 'Seats left'],
        shown.map((e) => [e.title, e.kind.toLowerCase(), e.startsAt.slice(0, 16).replace('T', ' '), e.region?.name ?? 'online', e.organiser?.name ?? '–', e.capacity === null ? 'unlimited' : count(e.capacity), e.seatsLeft === null ? 'unlimited' : count(e.seatsLeft)]),
        [5, 6],
      ),
    );
  });
}
