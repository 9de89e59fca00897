import { BarChart, HeatmapChart, MapChart, SankeyChart, ScatterChart } from 'echarts/charts';
import { GraphicComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';

// Apache ECharts, only the parts the pages use. The SVG renderer draws text as DOM text, so what a chart shows can
// be read (and checked by the browser tests) like the rest of the page.
echarts.use([BarChart, HeatmapChart, MapChart, SankeyChart, ScatterChart, GraphicComponent, GridComponent, LegendComponent, TitleComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

export type ChartOption = echarts.EChartsCoreOption;
export { echarts };

const open = new Set<echarts.ECharts>();

/**
 * Draws `option` in a new chart box appended to `parent`. `data` is what the chart shows, kept on the box as
 * `data-chart` (JSON) for tests and for anyone inspecting the page.
 */
export function drawChart(parent: HTMLElement, option: ChartOption, data: unknown, height?: number): echarts.ECharts {
  const box = document.createElement('div');
  box.className = 'chart';
  // A chart of many rows (events) grows with them instead of squeezing them together.
  if (height) box.style.height = `${height}px`;
  box.dataset.chart = JSON.stringify(data);
  parent.append(box);
  const chart = echarts.init(box, null, { renderer: 'svg' });
  // No entry animation: a chart is complete as soon as it is drawn (for screenshots, tests and slow machines).
  chart.setOption({ animation: false, ...option });
  open.add(chart);
  return chart;
}

/** Frees the charts of the page being left. */
export function disposeCharts(): void {
  for (const chart of open) chart.dispose();
  open.clear();
}

window.addEventListener('resize', () => open.forEach((chart) => chart.resize()));
