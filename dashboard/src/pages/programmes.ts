import { ProgrammeKpisDocument } from '../../generated/operations.js';
import { drawChart } from '../charts.js';
import { ask } from '../graph.js';
import { count, escapeHtml, groupDigits, money, share } from '../format.js';
import { filtersForm, filterValue, load, pageFrame, showState, table, type Filter } from '../ui.js';

// A programme's money and reach: budget, maximum contribution, talents reached and the cost per talent reached
// (Programme.kpis, computed by the regions subgraph from the exact decimals), and its indicators against targets.

const programmeFilter: Filter = { name: 'programme', label: 'Programme', fallback: 'emilia-romagna-talents' };

export async function renderProgrammes(main: HTMLElement, signal: AbortSignal): Promise<void> {
  const body = pageFrame(main, 'Programmes', 'Budget, maximum contribution, cost per talent reached, and indicators against their targets.');
  await load(body, signal, async () => {
    const id = filterValue(programmeFilter);
    const { programmes, programme } = await ask(ProgrammeKpisDocument, { id }, signal);
    // The programme list arrives with the answer: the select is made from it.
    const options = programmes.nodes.map((p) => [p.id, p.name] as const);
    body.replaceChildren(filtersForm([{ ...programmeFilter, options: options.some(([v]) => v === id) ? options : [[id, id], ...options] }]));
    const content = document.createElement('div');
    body.append(content);
    if (!programme) return showState(content, 'empty', `No programme has the id "${id}".`);
    const { kpis } = programme;
    const reached = kpis.talentsReached ? `${count(kpis.talentsReached)}${kpis.talentsReachedAsOf ? ` (as of ${kpis.talentsReachedAsOf})` : ''}` : 'not reported';
    const cards: [string, string, string][] = [
      ['budget', 'Budget', money(kpis.budget)],
      ['max-contribution', 'Maximum contribution', money(kpis.maxContribution)],
      ['talents-reached', 'Talents reached', reached],
      ['cost-per-talent', 'Cost per talent reached', money(kpis.costPerTalentReached)],
    ];
    content.innerHTML =
      `<h3>${escapeHtml(programme.name)}</h3>` +
      `<p class="note">${escapeHtml([programme.managingOrganisation?.name, programme.period ? `${programme.period.start} to ${programme.period.end ?? 'open'}` : undefined].filter(Boolean).join(' · '))}</p>` +
      `<div class="cards">${cards.map(([key, label, value]) => `<div class="card" data-kpi="${key}"><div class="label">${label}</div><div class="value">${escapeHtml(value)}</div></div>`).join('')}</div>` +
      '<h3>Indicators against targets</h3>';
    if (kpis.indicators.length === 0) return void content.append(Object.assign(document.createElement('p'), { className: 'note', textContent: 'This programme reports no indicators.' }));
    const indicators = kpis.indicators.map((i) => ({ code: i.code, name: i.name, unit: i.unit, value: Number(i.value), target: i.target === null ? null : Number(i.target) }));
    // Indicators count different things (projects, talents), so the axis is logarithmic: 10 and 7,063 both show.
    drawChart(
      content,
      {
        tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
        legend: { data: ['Value', 'Target'], top: 5 },
        grid: { left: 220, right: 40, top: 40, bottom: 30 },
        xAxis: { type: 'log', name: 'log scale' },
        yAxis: { type: 'category', data: indicators.map((i) => i.name), inverse: true },
        series: [
          { name: 'Value', type: 'bar', data: indicators.map((i) => i.value), label: { show: true, position: 'right' } },
          { name: 'Target', type: 'scatter', symbol: 'diamond', symbolSize: 14, data: indicators.map((i) => i.target ?? '-') },
        ],
      },
      { indicators },
    );
    content.append(
      table(
        ['Indicator', 'Value', 'Target', 'Progress', 'Unit', 'As of'],
        kpis.indicators.map((i) => [i.name, groupDigits(i.value), i.target ? groupDigits(i.target) : 'no target set', share(i.progress), i.unit, i.asOf ?? '–']),
        [1, 2, 3],
      ),
    );
  });
}
