import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the shipped dashboards and rules live (the defaults of every loader here). */
const repositoryRoot = fileURLToPath(new URL('../../../', import.meta.url));
export const dashboardsDirectory = join(repositoryRoot, 'grafana/dashboards');
const rulesDirectory = join(repositoryRoot, 'grafana/prometheus/rules');

/** How panels and targets name their data source: the dashboard's `datasource` variable. */
export const datasourceVariableReference = {
  type: 'prometheus',
  uid: '${datasource}',
} as const;

/** One PromQL expression found in a dashboard or a rule file. */
export interface ObservedQuery {
  /** Where it is, for failure messages: `rollout.json › Traffic split (configured) [A]`. */
  readonly source: string;
  readonly kind: 'panel' | 'variable' | 'annotation' | 'alert' | 'record';
  /** As written in the file. */
  readonly expr: string;
  /** What is sent to Prometheus: Grafana variables substituted, `label_values()` turned into PromQL. */
  readonly promql: string;
  readonly legendFormat?: string;
  /** Rule name (alert or record). */
  readonly name?: string;
}

/** The parts of Grafana's dashboard JSON model this project uses. */
interface GrafanaTarget {
  readonly refId?: string;
  readonly expr?: string;
  readonly legendFormat?: string;
  readonly instant?: boolean;
  readonly datasource?: { readonly type?: string; readonly uid?: string };
}
export interface GrafanaPanel {
  readonly id?: number;
  readonly type?: string;
  readonly title?: string;
  readonly datasource?: { readonly type?: string; readonly uid?: string };
  readonly gridPos?: {
    readonly h: number;
    readonly w: number;
    readonly x: number;
    readonly y: number;
  };
  readonly targets?: readonly GrafanaTarget[];
  readonly panels?: readonly GrafanaPanel[];
}
interface GrafanaVariable {
  readonly name: string;
  readonly type: string;
  readonly query?: string | { readonly query?: string };
}
export interface GrafanaDashboard {
  readonly uid?: string;
  readonly title?: string;
  readonly schemaVersion?: number;
  readonly panels?: readonly GrafanaPanel[];
  readonly templating?: { readonly list?: readonly GrafanaVariable[] };
  readonly annotations?: {
    readonly list?: readonly { readonly name?: string; readonly expr?: string }[];
  };
}

export interface LoadedDashboard {
  readonly file: string;
  readonly dashboard: GrafanaDashboard;
}

export function loadDashboards(directory = dashboardsDirectory): LoadedDashboard[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith('.json'))
    .sort()
    .map((file) => ({
      file,
      dashboard: JSON.parse(readFileSync(join(directory, file), 'utf8')) as GrafanaDashboard,
    }));
}

/** Every panel, including those nested in collapsed rows. */
export function allPanels(dashboard: GrafanaDashboard): GrafanaPanel[] {
  return (dashboard.panels ?? []).flatMap((panel) => [panel, ...(panel.panels ?? [])]);
}

/**
 * Values standing in for Grafana's built-in variables when a query goes straight to Prometheus.
 * Short windows keep `rate()` meaningful a few seconds after a test Prometheus started.
 */
const builtinVariables: Readonly<Record<string, string>> = {
  __rate_interval: '1m',
  __interval: '15s',
  __range: '1h',
  __range_s: '3600',
  __range_ms: '3600000',
};

/**
 * Replaces `$name`, `${name}`, `${name:format}` and `[[name]]`. A dashboard variable becomes `.+`
 * (the "All" value, but requiring the label to be present, so a filter on a label the metric does
 * not have returns nothing); unknown variables are left as they are and the caller reports them.
 */
export function substituteVariables(expr: string, dashboardVariables: readonly string[]): string {
  return expr.replace(
    /\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)(?::[^\]]*)?\]\]|\$(\w+)/g,
    (whole, braced?: string, bracketed?: string, bare?: string) => {
      const name = braced ?? bracketed ?? bare ?? '';
      return builtinVariables[name] ?? (dashboardVariables.includes(name) ? '.+' : whole);
    },
  );
}

/** Grafana's `label_values(selector, label)` as the PromQL that answers the same question. */
export function variableQueryAsPromql(query: string): string {
  const match = /^\s*label_values\(\s*(?:(.*),\s*)?([a-zA-Z_][a-zA-Z0-9_]*)\s*\)\s*$/s.exec(query);
  if (!match) {
    throw new Error(`unsupported variable query (only label_values() is used here): ${query}`);
  }
  const [, selector, label] = match;
  return `count by (${label}) (${selector ?? `{${label}!=""}`})`;
}

export function dashboardQueries(dashboards: readonly LoadedDashboard[]): ObservedQuery[] {
  return dashboards.flatMap(({ file, dashboard }) => {
    const variables = dashboard.templating?.list ?? [];
    const names = variables.map((variable) => variable.name);
    const fromPanels = allPanels(dashboard).flatMap((panel) =>
      (panel.targets ?? [])
        .filter((target) => target.expr !== undefined)
        .map(
          (target): ObservedQuery => ({
            source: `${file} › ${panel.title ?? `panel ${panel.id}`} [${target.refId ?? '?'}]`,
            kind: 'panel',
            expr: target.expr as string,
            promql: substituteVariables(target.expr as string, names),
            ...(target.legendFormat === undefined ? {} : { legendFormat: target.legendFormat }),
          }),
        ),
    );
    const fromVariables = variables
      .filter((variable) => variable.type === 'query')
      .map((variable): ObservedQuery => {
        const query =
          typeof variable.query === 'string' ? variable.query : (variable.query?.query ?? '');
        return {
          source: `${file} › variable ${variable.name}`,
          kind: 'variable',
          expr: query,
          promql: substituteVariables(variableQueryAsPromql(query), names),
        };
      });
    const fromAnnotations = (dashboard.annotations?.list ?? [])
      .filter((annotation) => annotation.expr !== undefined)
      .map(
        (annotation): ObservedQuery => ({
          source: `${file} › annotation ${annotation.name ?? '?'}`,
          kind: 'annotation',
          expr: annotation.expr as string,
          promql: substituteVariables(annotation.expr as string, names),
        }),
      );
    return [...fromPanels, ...fromVariables, ...fromAnnotations];
  });
}

/** Rule files (`*.yml`) of a rules directory. */
export function ruleFiles(directory = rulesDirectory): string[] {
  return readdirSync(directory)
    .filter((file) => file.endsWith('.yml') || file.endsWith('.yaml'))
    .sort()
    .map((file) => join(directory, file));
}

/**
 * Alert and recording rules read from a rule file. A reader for the layout these files use
 * (`- alert:`/`- record:` then `expr:` inline or as a `|` block), not a YAML parser: promtool and
 * Prometheus check the real syntax, and the Prometheus test compares the rule names it loaded with
 * the names found here.
 */
export function ruleQueries(files = ruleFiles()): ObservedQuery[] {
  return files.flatMap((path) => {
    const file = path.split('/').at(-1) as string;
    const lines = readFileSync(path, 'utf8').split('\n');
    const rules: ObservedQuery[] = [];
    let current: { kind: 'alert' | 'record'; name: string } | null = null;
    for (let index = 0; index < lines.length; index += 1) {
      const line = lines[index] as string;
      const start = /^\s*-\s+(alert|record):\s*(\S+)\s*$/.exec(line);
      if (start) {
        current = { kind: start[1] as 'alert' | 'record', name: start[2] as string };
        continue;
      }
      const exprLine = /^(\s*)expr:\s*(.*)$/.exec(line);
      if (current && exprLine) {
        const indent = (exprLine[1] as string).length;
        let expr = (exprLine[2] as string).trim();
        if (/^[|>][-+]?$/.test(expr)) {
          const block: string[] = [];
          while (index + 1 < lines.length) {
            const candidate = lines[index + 1] as string;
            const candidateIndent = candidate.length - candidate.trimStart().length;
            if (candidate.trim() !== '' && candidateIndent <= indent) {
              break;
            }
            block.push(candidate.trim());
            index += 1;
          }
          expr = block.join('\n').trim();
        } else if (/^(['"]).*\1$/.test(expr)) {
          expr = expr.slice(1, -1);
        }
        rules.push({
          source: `${file} › ${current.kind} ${current.name}`,
          kind: current.kind,
          name: current.name,
          expr,
          promql: expr,
        });
        current = null;
      }
    }
    return rules;
  });
}
