/** The windows the overview offers, and how one is read from the query (default 30 days). */
export const overviewWindows = [
  { key: '24h', label: 'Last 24 hours', ms: 86_400_000 },
  { key: '7d', label: 'Last 7 days', ms: 7 * 86_400_000 },
  { key: '30d', label: 'Last 30 days', ms: 30 * 86_400_000 },
  { key: '90d', label: 'Last 90 days', ms: 90 * 86_400_000 },
  { key: 'all', label: 'All time', ms: null },
] as const;

export type OverviewWindow = (typeof overviewWindows)[number];

export function overviewWindow(key: string | undefined): OverviewWindow {
  return overviewWindows.find((window) => window.key === key) ?? overviewWindows[2];
}
