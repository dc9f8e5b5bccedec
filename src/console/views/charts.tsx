/**
 * Charts drawn on the server as SVG: presentation attributes and CSS classes only (no inline
 * style, which the Content-Security-Policy forbids), a title and description for screen readers,
 * and the exact numbers in a table beside every chart.
 */

interface ChartSeries {
  readonly name: string;
  readonly values: readonly (number | null)[];
}

export interface ChartProps {
  /** Stable hook: `data-chart` on the svg. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly labels: readonly string[];
  readonly series: readonly ChartSeries[];
  readonly kind: 'bar' | 'line';
  readonly formatValue: (value: number) => string;
  /** Counts: the axis ends on a multiple of 4, so every gridline is a whole number. */
  readonly integerTicks?: boolean;
}

const width = 640;
const height = 260;
const margin = { left: 60, right: 14, top: 14, bottom: 38 };
const plotWidth = width - margin.left - margin.right;
const plotHeight = height - margin.top - margin.bottom;

/** 0, or a round number (1, 2, 2.5, 5 × 10ⁿ) at least as far from zero as `value`. */
function niceBound(value: number): number {
  if (!Number.isFinite(value) || value === 0) {
    return 0;
  }
  const magnitude = Math.abs(value);
  const power = 10 ** Math.floor(Math.log10(magnitude));
  const step = [1, 2, 2.5, 5, 10].find((factor) => factor * power >= magnitude - 1e-12) ?? 10;
  return Math.sign(value) * step * power;
}

function valueDomain(series: readonly ChartSeries[], integerTicks = false): [number, number] {
  const values = series.flatMap((line) =>
    line.values.filter((value): value is number => value !== null && Number.isFinite(value)),
  );
  if (integerTicks) {
    // Four whole-number steps: the smallest round step (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8 × 10ⁿ) that
    // reaches the largest value.
    const top = Math.max(0, ...values) / 4;
    const power = top > 0 ? 10 ** Math.floor(Math.log10(top)) : 1;
    const factor = [1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].find((f) => f * power >= top - 1e-12) ?? 10;
    return [0, Math.max(1, Math.ceil(factor * power)) * 4];
  }
  const low = niceBound(Math.min(0, ...values));
  const high = niceBound(Math.max(0, ...values));
  return high === low ? [low, low + 1] : [low, high];
}

export function Chart(props: ChartProps) {
  const [low, high] = valueDomain(props.series, props.integerTicks);
  const y = (value: number) =>
    margin.top + plotHeight - ((value - low) / (high - low)) * plotHeight;
  const band = plotWidth / Math.max(props.labels.length, 1);
  const x = (index: number) => Math.round((margin.left + band * index + band / 2) * 10) / 10;
  const ticks = [0, 1, 2, 3, 4].map((step) => low + ((high - low) * step) / 4);
  const labelEvery = Math.max(1, Math.ceil(props.labels.length / 8));
  const titleId = `${props.id}-title`;
  const descriptionId = `${props.id}-description`;
  return (
    <figure>
      <figcaption id={titleId}>{props.title}</figcaption>
      <svg
        class="chart"
        data-chart={props.id}
        viewBox={`0 0 ${width} ${height}`}
        role="img"
        aria-labelledby={`${titleId} ${descriptionId}`}
      >
        <title>{props.title}</title>
        <desc id={descriptionId}>{props.description}</desc>
        {ticks.map((tick) => (
          <g>
            <line
              class="grid"
              x1={margin.left}
              x2={width - margin.right}
              y1={y(tick)}
              y2={y(tick)}
            />
            <text x={margin.left - 6} y={y(tick) + 4} text-anchor="end">
              {props.formatValue(tick)}
            </text>
          </g>
        ))}
        <line class="axis" x1={margin.left} x2={width - margin.right} y1={y(0)} y2={y(0)} />
        {props.labels.map((label, index) =>
          index % labelEvery === 0 ? (
            <text x={x(index)} y={height - 12} text-anchor="middle">
              {label}
            </text>
          ) : null,
        )}
        {props.kind === 'bar'
          ? props.series.map((series, seriesIndex) => (
              <Bars
                series={series}
                index={seriesIndex}
                count={props.series.length}
                band={band}
                x={x}
                y={y}
              />
            ))
          : props.series.map((series, seriesIndex) => (
              <Line series={series} index={seriesIndex} x={x} y={y} />
            ))}
      </svg>
      <ul class="legend">
        {props.series.map((series, index) => (
          <li class={`series-${index % 4}`}>{series.name}</li>
        ))}
      </ul>
    </figure>
  );
}

function Bars(props: {
  series: ChartSeries;
  index: number;
  count: number;
  band: number;
  x: (index: number) => number;
  y: (value: number) => number;
}) {
  const groupWidth = props.band * 0.8;
  const barWidth = groupWidth / props.count;
  return (
    <g class={`series-${props.index % 4}`} data-series={props.series.name}>
      {props.series.values.map((value, index) => {
        if (value === null) {
          return null;
        }
        const left = props.x(index) - groupWidth / 2 + barWidth * props.index;
        const top = Math.min(props.y(value), props.y(0));
        return (
          <rect
            class="bar"
            x={left.toFixed(1)}
            y={top.toFixed(1)}
            width={Math.max(barWidth - 1, 1).toFixed(1)}
            height={Math.abs(props.y(0) - props.y(value)).toFixed(1)}
            data-value={value}
          />
        );
      })}
    </g>
  );
}

function Line(props: {
  series: ChartSeries;
  index: number;
  x: (index: number) => number;
  y: (value: number) => number;
}) {
  // A gap (null) breaks the line: M starts a new piece after it.
  let pen = 'M';
  const path = props.series.values
    .map((value, index) => {
      if (value === null) {
        pen = 'M';
        return '';
      }
      const step = `${pen}${props.x(index).toFixed(1)},${props.y(value).toFixed(1)}`;
      pen = 'L';
      return step;
    })
    .join(' ')
    .trim();
  return (
    <g class={`series-${props.index % 4}`} data-series={props.series.name}>
      {path && <path class="line" d={path} />}
      {props.series.values.map((value, index) =>
        value === null ? null : (
          <circle
            cx={props.x(index).toFixed(1)}
            cy={props.y(value).toFixed(1)}
            r="3.5"
            data-value={value}
          />
        ),
      )}
    </g>
  );
}
