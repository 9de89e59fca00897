import { TalentsByRegionDocument, type TalentCategory } from '../../generated/operations.js';
import { drawChart } from '../charts.js';
import { ask } from '../graph.js';
import { count, countOrSuppressed, suppressedText } from '../format.js';
import { nutsMap } from '../nuts-map.js';
import { filterValue, load, pageFrame, showState, table, type Filter } from '../ui.js';

// Talents by NUTS region as a choropleth (talentStatistics grouped by REGION at the level in the URL). A suppressed
// cell carries no number at all, not even to colour it: it is drawn in its own grey and reads "fewer than 5".

const levelFilter: Filter = { name: 'level', label: 'NUTS level', fallback: '2', options: [['0', '0 (countries)'], ['1', '1'], ['2', '2'], ['3', '3']] };
const categories: TalentCategory[] = ['YOUNG_PROFESSIONAL', 'INTERNATIONAL_TALENT', 'RETURNEE', 'RESEARCHER', 'STUDENT'];
const categoryFilter: Filter = { name: 'category', label: 'Category', fallback: '', options: [['', 'All talents'], ...categories.map((c) => [c, c.replace('_', ' ').toLowerCase()] as const)] };

const suppressedColour = '#9aa5b1';
const emptyColour = '#eef1f4';

/** One region's figures as the map, its tooltip and the table show them. */
export interface RegionCell {
  code: string;
  regionName: string;
  talents: number | null;
  suppressed: boolean;
  text: string;
}

/** Up to five classes of counts from 5 to `max`: 5-9, 10-24, 25-49, 50-99, 100 and more, as far as needed. */
function classes(max: number): { min: number; max?: number; label: string }[] {
  const bounds = [5, 10, 25, 50, 100].filter((b) => b <= max);
  return bounds.map((min, i) => {
    const next = bounds[i + 1];
    return next ? { min, max: next - 1, label: `${min}–${next - 1}` } : { min, label: `${min} and more` };
  });
}

export async function renderRegions(main: HTMLElement, signal: AbortSignal): Promise<void> {
  const body = pageFrame(main, 'Talents by region', 'Talents by NUTS region of residence. Counts resting on fewer than 5 talents are withheld.', [levelFilter, categoryFilter]);
  await load(body, signal, async () => {
    const level = Number(filterValue(levelFilter));
    if (!Number.isInteger(level) || level < 0 || level > 3) throw new Error(`The NUTS level must be 0, 1, 2 or 3; the address asks for "${filterValue(levelFilter)}".`);
    const category = filterValue(categoryFilter) as TalentCategory | '';
    const [{ talentStatistics }, map] = await Promise.all([
      ask(TalentsByRegionDocument, { regionLevel: level, filter: category ? { category } : null }, signal),
      nutsMap(level),
    ]);
    const cells: RegionCell[] = talentStatistics.cells
      .filter((c) => c.region)
      .map((c) => ({
        code: c.region!.code,
        regionName: c.region!.name,
        talents: c.suppressed ? null : c.talents ?? null,
        suppressed: c.suppressed,
        text: `${c.region!.name} (${c.region!.code}): ${c.suppressed ? suppressedText : `${count(c.talents)} talents`}`,
      }));
    body.replaceChildren();
    if (cells.length === 0) return showState(body, 'empty', 'No talents match these filters.');
    const shown = cells.filter((c) => !c.suppressed).map((c) => c.talents!);
    const max = Math.max(5, ...shown);
    const byCode = new Map(cells.map((c) => [c.code, c]));
    drawChart(
      body,
      {
        tooltip: {
          trigger: 'item',
          formatter: (item: { name: string }) => byCode.get(item.name)?.text ?? `${item.name}: no talents`,
        },
        // Classes rather than a continuous scale: one large region would otherwise wash all others out.
        visualMap: {
          type: 'piecewise',
          seriesIndex: 0,
          left: 10,
          bottom: 50,
          pieces: classes(max),
          inRange: { color: ['#d7ecf9', '#7fb6dc', '#3a86bd', '#185d8f', '#0b3d5c'] },
        },
        // The legend's category for withheld cells, beside the colour scale (ECharts' own graphic elements).
        graphic: [
          {
            type: 'group',
            left: 10,
            bottom: 10,
            children: [
              { type: 'rect', shape: { width: 14, height: 14 }, style: { fill: suppressedColour } },
              { type: 'text', style: { text: suppressedText, fill: '#333', font: '12px sans-serif' }, x: 20, y: 1 },
              { type: 'rect', shape: { x: 110, width: 14, height: 14 }, style: { fill: emptyColour, stroke: '#ccd' } },
              { type: 'text', style: { text: 'no talents', fill: '#333', font: '12px sans-serif' }, x: 130, y: 1 },
            ],
          },
        ],
        series: [
          {
            name: 'Talents',
            type: 'map',
            map: map.name,
            roam: true,
            // Europe without the far north and the Atlantic islands' empty ocean around it.
            center: [10, 51],
            zoom: 1.9,
            itemStyle: { areaColor: emptyColour, borderColor: '#fff', borderWidth: 0.4 },
            emphasis: { label: { show: false }, itemStyle: { areaColor: '#ffcc4d' } },
            data: cells.map((c) =>
              c.suppressed
                ? { name: c.code, value: '-', itemStyle: { areaColor: suppressedColour } }
                : { name: c.code, value: c.talents },
            ),
          },
        ],
      },
      { level, cells },
      640,
    );
    const missing = cells.filter((c) => !map.codes.has(c.code));
    if (missing.length > 0) {
      body.append(Object.assign(document.createElement('p'), {
        className: 'note',
        textContent: `Not on the map (NUTS 2024 codes without a NUTS 2021 shape): ${missing.map((c) => c.text).join('; ')}.`,
      }));
    }
    body.append(table(['Region', 'Code', 'Talents'], cells.map((c) => [c.regionName, c.code, countOrSuppressed(c.talents, c.suppressed)]), [2]));
  });
}
