/**
 * `rekindle demo`: the seed's phases 1–6 on this machine against local simulators (see
 * docs/demo.md). The public face of src/cli/demo.
 */
export type { DemoEnvironment } from './demo-environment.ts';
export {
  createDemoProgress,
  silentProgress,
} from './demo-progress.ts';

export { demoSummary } from './report/demo-summary.ts';
export { formatDemoText } from './report/demo-tables.ts';
export { renderHtmlReport } from './report/html-report.ts';
export { runDemo } from './run-demo.ts';
