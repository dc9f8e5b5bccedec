/**
 * Three small chart kinds as inline SVG strings — no library, no CDN, so the report is one file
 * that opens without a server. Every drawn data element carries `class` and `data-*` attributes
 * (`path.series[data-series]`, `rect.bar[data-series][data-value]`) so a browser test can find it.
 */
interface ChartPoint {
  readonly y: number;
  /** A 95 % interval drawn as a whisker. */
  readonly low?: number | undefined;
  readonly high?: number | undefined;
}

export interface LineSeries {
  readonly name: string;
  readonly color: string;
  /** One per x label; null where the series has no value. */
  readonly points: ReadonlyArray<ChartPoint | null>;
}

export interface BarSeries {
  readonly name: string;
  readonly color: string;
  readonly values: readonly number[];
}

export interface Bar {
  readonly label: string;
  readonly color: string;
  readonly value: number;
  readonly low?: number | undefined;
  readonly high?: number | undefined;
}

const width = 640;
const height = 300;
const margin = { top: 40, right: 20, bottom: 50, left: 64 };
const plotWidth = width - margin.left - margin.right;
const plotHeight = height - margin.top - margin.bottom;

export function lineChart(options: {
  id: string;
  title: string;
  xLabels: readonly string[];
  series: readonly LineSeries[];
  format: (value: number) => string;
}): string {
  const values = options.series.flatMap((series) =>
    series.points.flatMap((point) => (point ? [point.high ?? point.y, point.y] : [])),
  );
  const top = niceCeiling(Math.max(0, ...values));
  const x = (index: number) =>
    margin.left +
    (options.xLabels.length <= 1
      ? plotWidth / 2
      : (index * plotWidth) / (options.xLabels.length - 1));
  const y = (value: number) => margin.top + plotHeight - (value / top) * plotHeight;
  const marks = options.series.map((series) => {
    const segments: string[] = [];
    let pen = 'M';
    series.points.forEach((point, index) => {
      if (!point) {
        pen = 'M';
        return;
      }
      segments.push(`${pen}${x(index).toFixed(1)},${y(point.y).toFixed(1)}`);
      pen = 'L';
    });
    const dots = series.points.map((point, index) => {
      if (!point) {
        return '';
      }
      const whisker =
        point.low === undefined || point.high === undefined
          ? ''
          : `<line class="whisker" x1="${x(index).toFixed(1)}" x2="${x(index).toFixed(1)}" y1="${y(point.low).toFixed(1)}" y2="${y(point.high).toFixed(1)}" stroke="${series.color}" stroke-opacity="0.45" stroke-width="2"/>`;
      return `${whisker}<circle class="point" data-series="${escapeHtml(series.name)}" cx="${x(index).toFixed(1)}" cy="${y(point.y).toFixed(1)}" r="3.5" fill="${series.color}"><title>${escapeHtml(series.name)} ${escapeHtml(options.xLabels[index] ?? '')}: ${escapeHtml(options.format(point.y))}</title></circle>`;
    });
    return `<path class="series" data-series="${escapeHtml(series.name)}" d="${segments.join(' ')}" fill="none" stroke="${series.color}" stroke-width="2.5"/>${dots.join('')}`;
  });
  return frame(options.id, options.title, [
    yAxis(top, options.format),
    xAxis(options.xLabels, x),
    ...marks,
    legend(options.series),
  ]);
}

export function stackedBarChart(options: {
  id: string;
  title: string;
  xLabels: readonly string[];
  series: readonly BarSeries[];
  format: (value: number) => string;
}): string {
  const slot = plotWidth / Math.max(1, options.xLabels.length);
  const barWidth = Math.min(48, slot * 0.7);
  const x = (index: number) => margin.left + slot * index + slot / 2;
  const totals = options.xLabels.map((_, index) =>
    options.series.reduce((sum, series) => sum + (series.values[index] ?? 0), 0),
  );
  const top = niceCeiling(Math.max(0, ...totals));
  const y = (value: number) => margin.top + plotHeight - (value / top) * plotHeight;
  const rects: string[] = [];
  options.xLabels.forEach((label, index) => {
    let base = 0;
    for (const series of options.series) {
      const value = series.values[index] ?? 0;
      if (value > 0) {
        rects.push(
          `<rect class="bar" data-series="${escapeHtml(series.name)}" data-value="${value}" x="${(x(index) - barWidth / 2).toFixed(1)}" y="${y(base + value).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(y(base) - y(base + value)).toFixed(1)}" fill="${series.color}"><title>${escapeHtml(label)} · ${escapeHtml(series.name)}: ${escapeHtml(options.format(value))}</title></rect>`,
        );
      }
      base += value;
    }
  });
  return frame(options.id, options.title, [
    yAxis(top, options.format),
    xAxis(options.xLabels, x),
    ...rects,
    legend(options.series),
  ]);
}

export function barChart(options: {
  id: string;
  title: string;
  bars: readonly Bar[];
  format: (value: number) => string;
}): string {
  const slot = plotWidth / Math.max(1, options.bars.length);
  const barWidth = Math.min(72, slot * 0.5);
  const x = (index: number) => margin.left + slot * index + slot / 2;
  const top = niceCeiling(Math.max(0, ...options.bars.map((bar) => bar.high ?? bar.value)));
  const y = (value: number) => margin.top + plotHeight - (value / top) * plotHeight;
  const marks = options.bars.map((bar, index) => {
    const whisker =
      bar.low === undefined || bar.high === undefined
        ? ''
        : `<line class="whisker" x1="${x(index).toFixed(1)}" x2="${x(index).toFixed(1)}" y1="${y(bar.low).toFixed(1)}" y2="${y(bar.high).toFixed(1)}" stroke="#111827" stroke-width="1.5"/>`;
    return `<rect class="bar" data-series="${escapeHtml(bar.label)}" data-value="${bar.value}" x="${(x(index) - barWidth / 2).toFixed(1)}" y="${y(bar.value).toFixed(1)}" width="${barWidth.toFixed(1)}" height="${(y(0) - y(bar.value)).toFixed(1)}" fill="${bar.color}"><title>${escapeHtml(bar.label)}: ${escapeHtml(options.format(bar.value))}</title></rect>${whisker}<text x="${x(index).toFixed(1)}" y="${(y(bar.high ?? bar.value) - 6).toFixed(1)}" text-anchor="middle" font-size="12" fill="#111827">${escapeHtml(options.format(bar.value))}</text>`;
  });
  return frame(options.id, options.title, [
    yAxis(top, options.format),
    xAxis(
      options.bars.map((bar) => bar.label),
      x,
    ),
    ...marks,
  ]);
}

function frame(id: string, title: string, parts: readonly string[]): string {
  return `<svg class="chart" data-chart="${escapeHtml(id)}" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(title)}"><text x="${margin.left}" y="22" font-size="15" font-weight="600" fill="#111827">${escapeHtml(title)}</text>${parts.join('')}</svg>`;
}

function yAxis(top: number, format: (value: number) => string): string {
  const lines: string[] = [];
  for (let step = 0; step <= 4; step += 1) {
    const value = (top * step) / 4;
    const y = margin.top + plotHeight - (step / 4) * plotHeight;
    lines.push(
      `<line x1="${margin.left}" x2="${width - margin.right}" y1="${y.toFixed(1)}" y2="${y.toFixed(1)}" stroke="#e5e7eb"/>`,
      `<text x="${margin.left - 8}" y="${(y + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#6b7280">${escapeHtml(format(value))}</text>`,
    );
  }
  return lines.join('');
}

function xAxis(labels: readonly string[], x: (index: number) => number): string {
  const baseline = margin.top + plotHeight;
  return [
    `<line x1="${margin.left}" x2="${width - margin.right}" y1="${baseline}" y2="${baseline}" stroke="#9ca3af"/>`,
    ...labels.map(
      (label, index) =>
        `<text x="${x(index).toFixed(1)}" y="${baseline + 18}" text-anchor="middle" font-size="11" fill="#374151">${escapeHtml(label)}</text>`,
    ),
  ].join('');
}

function legend(series: ReadonlyArray<{ name: string; color: string }>): string {
  let offset = margin.left;
  return series
    .map((entry) => {
      const item = `<rect x="${offset}" y="${height - 18}" width="10" height="10" fill="${entry.color}"/><text x="${offset + 14}" y="${height - 9}" font-size="11" fill="#374151">${escapeHtml(entry.name)}</text>`;
      offset += 24 + entry.name.length * 7;
      return item;
    })
    .join('');
}

/** The axis top: four ticks of 1, 2, 2.5 or 5 times a power of ten (1 when there is nothing). */
function niceCeiling(value: number): number {
  if (!(value > 0)) {
    return 1;
  }
  const quarter = value / 4;
  const power = 10 ** Math.floor(Math.log10(quarter));
  const factor = [1, 2, 2.5, 5, 10].find((candidate) => candidate * power >= quarter) ?? 10;
  return 4 * factor * power;
}

export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}
