import { RetentionDocument, type RetentionStatus } from '../../generated/operations.js';
import { drawChart } from '../charts.js';
import { ask } from '../graph.js';
import { countOrSuppressed, share, suppressedText } from '../format.js';
import { filterValue, load, pageFrame, showState, table, type Filter } from '../ui.js';

// Retention: the quarterly cohorts of talents arriving in a region (talentRetention) and joining a network's
// members (networkRetention), as heatmaps of the share still there after 6, 12 (and 24) months, and the flows of
// talents leaving one member for another or out of the network, as a sankey. The default range covers the seed's
// cohorts of 2024, read as of 2026-11-30, so the page is not empty on a fresh `npm start`.

const filters = {
  region: { name: 'region', label: 'Region (NUTS code)', fallback: 'ITH5' },
  network: { name: 'network', label: 'Network', fallback: 'talent-hub' },
  from: { name: 'from', label: 'From quarter', fallback: '2024-Q1' },
  to: { name: 'to', label: 'To quarter', fallback: '2024-Q4' },
  asOf: { name: 'asOf', label: 'As of', fallback: '2026-11-30', type: 'date' },
} satisfies Record<string, Filter>;

const statusText: Record<RetentionStatus, string> = { AVAILABLE: '', SUPPRESSED: suppressedText, NOT_YET_OBSERVABLE: 'not yet observable' };

interface Horizon {
  label: string;
  share: string | null | undefined;
  status: RetentionStatus;
}

/** A heatmap of cohorts (rows) by horizon (columns); a withheld or unobservable cell is left blank, its reason in the tooltip. */
function cohortHeatmap(parent: HTMLElement, title: string, cohorts: { quarter: string; horizons: Horizon[] }[]) {
  const horizons = cohorts[0]?.horizons.map((h) => h.label) ?? [];
  if (!cohorts.some((c) => c.horizons.some((h) => h.status === 'AVAILABLE'))) {
    // Nothing to colour: say so rather than draw an empty grid (the table below gives each cell's reason).
    parent.append(Object.assign(document.createElement('p'), { className: 'note', textContent: `${title}: every share in this range is withheld (${suppressedText}) or not yet observable.` }));
    return;
  }
  const cells = cohorts.flatMap((cohort, row) =>
    cohort.horizons.map((h, column) => ({ quarter: cohort.quarter, horizon: h.label, row, column, share: h.status === 'AVAILABLE' ? h.share ?? null : null, text: h.status === 'AVAILABLE' ? share(h.share) : statusText[h.status] })),
  );
  drawChart(
    parent,
    {
      title: { text: title },
      // Only the cells carry data; anything else hovered (e.g. the colour scale) gets no tooltip text.
      tooltip: { formatter: (item: { data?: { text: string; quarter: string; horizon: string } }) => (item.data ? `${item.data.quarter}, ${item.data.horizon}: ${item.data.text}` : '') },
      grid: { left: 80, right: 20, top: 40, bottom: 90 },
      xAxis: { type: 'category', data: horizons },
      yAxis: { type: 'category', data: cohorts.map((c) => c.quarter), inverse: true },
      visualMap: { min: 0, max: 1, orient: 'horizontal', left: 'center', bottom: 10, text: ['100 %', '0 %'], inRange: { color: ['#fdf1d6', '#0b3d5c'] } },
      series: [
        {
          name: title,
          type: 'heatmap',
          label: { show: true, formatter: (item: { data?: { text: string } }) => item.data?.text ?? '' },
          data: cells.map((c) => ({ value: [c.column, c.row, c.share === null ? '-' : Number(c.share)], quarter: c.quarter, horizon: c.horizon, text: c.text })),
        },
      ],
    },
    { title, cells },
  );
}

export async function renderRetention(main: HTMLElement, signal: AbortSignal): Promise<void> {
  const body = pageFrame(main, 'Retention', 'Cohorts by quarter of arrival in a region or of joining a network, and flows between its member organisations.', Object.values(filters));
  await load(body, signal, async () => {
    const v = Object.fromEntries(Object.entries(filters).map(([key, f]) => [key, filterValue(f)])) as Record<keyof typeof filters, string>;
    const { talentRetention, networkRetention } = await ask(
      RetentionDocument,
      { regionCode: v.region, networkId: v.network, fromQuarter: v.from, toQuarter: v.to, asOf: v.asOf },
      signal,
    );
    body.replaceChildren();
    const regionTitle = `Arrivals in ${talentRetention.region?.name ?? v.region}`;
    body.append(Object.assign(document.createElement('h3'), { textContent: regionTitle }));
    if (talentRetention.cohorts.length === 0) {
      const empty = document.createElement('div');
      body.append(empty);
      showState(empty, 'empty', 'No arrivals in this region and range.');
    } else {
      cohortHeatmap(
        body,
        'Share still living in the region',
        talentRetention.cohorts.map((c) => ({
          quarter: c.quarter,
          horizons: [
            { label: '6 months', share: c.retained6Months, status: c.retained6MonthsStatus },
            { label: '12 months', share: c.retained12Months, status: c.retained12MonthsStatus },
          ],
        })),
      );
      body.append(table(['Quarter', 'Arrivals', 'After 6 months', 'After 12 months'], talentRetention.cohorts.map((c) => [
        c.quarter,
        countOrSuppressed(c.arrivals, c.suppressed),
        c.retained6MonthsStatus === 'AVAILABLE' ? share(c.retained6Months) : statusText[c.retained6MonthsStatus],
        c.retained12MonthsStatus === 'AVAILABLE' ? share(c.retained12Months) : statusText[c.retained12MonthsStatus],
      ]), [1, 2, 3]));
    }

    const network = networkRetention;
    body.append(Object.assign(document.createElement('h3'), { textContent: `Network: ${network?.network?.name ?? v.network}` }));
    const networkBody = document.createElement('div');
    body.append(networkBody);
    if (!network) return showState(networkBody, 'empty', `No network "${v.network}", or its members could not be read.`);
    if (network.cohorts.length === 0) return showState(networkBody, 'empty', 'No talent joined this network in this range.');
    cohortHeatmap(
      networkBody,
      'Share still with any member',
      network.cohorts.map((c) => ({
        quarter: c.quarter,
        horizons: [
          { label: '6 months', share: c.retained6Months, status: c.retained6MonthsStatus },
          { label: '12 months', share: c.retained12Months, status: c.retained12MonthsStatus },
          { label: '24 months', share: c.retained24Months, status: c.retained24MonthsStatus },
        ],
      })),
    );
    const name = (o: { id: string; name: string } | null | undefined) => o?.name ?? o?.id ?? 'unknown';
    const flows = network.flows.map((f) => ({
      from: name(f.from),
      to: f.leftNetwork ? 'Left the network' : name(f.to),
      talents: f.suppressed ? null : f.talents ?? null,
      suppressed: f.suppressed,
    }));
    const drawn = flows.filter((f) => !f.suppressed && f.talents);
    if (drawn.length > 0) {
      // Sources and destinations are separate nodes ("from" and "to" sides), so flows both ways make no cycle.
      const nodes = [...new Set(drawn.map((f) => `${f.from} →`)), ...new Set(drawn.map((f) => `→ ${f.to}`))];
      drawChart(
        networkBody,
        {
          title: { text: 'Talents leaving a member: where they went' },
          tooltip: { trigger: 'item' },
          series: [{ type: 'sankey', top: 50, bottom: 20, left: 20, right: 20, data: nodes.map((n) => ({ name: n, label: { position: n.startsWith('→') ? 'left' : 'right' } })), links: drawn.map((f) => ({ source: `${f.from} →`, target: `→ ${f.to}`, value: f.talents })), label: { show: true, width: 300, overflow: 'truncate' } }],
        },
        { flows },
      );
    }
    if (flows.length === 0) return void networkBody.append(Object.assign(document.createElement('p'), { className: 'note', textContent: 'No talent left a member in this range.' }));
    networkBody.append(table(['From', 'To', 'Talents'], flows.map((f) => [f.from, f.to, countOrSuppressed(f.talents, f.suppressed)]), [2]));
  });
}
