import { describe, expect, it } from 'vitest';
import { formatLeaderboardTable } from '../../../../src/cli/format/index.ts';
import { buildLeaderboard } from '../../../../src/pipeline/rollout/index.ts';
import { seedVariantRates, steadyPair } from '../../pipeline/rollout/arm-builder.ts';

describe('formatLeaderboardTable', () => {
  it('one row per version: the baseline named, rates and counts in columns', () => {
    const arms = steadyPair(100_000, seedVariantRates, new Date('2026-01-01T00:00:00Z'));
    const leaderboard = buildLeaderboard(
      { route: 'outreach', arms },
      new Date('2026-06-01T00:00:00Z'),
    );
    const table = formatLeaderboardTable(leaderboard);
    expect(table).toContain('baseline (baseline)');
    expect(table).toMatch(/v1\.0\.0\s+10%\s+10,000\s+15\.20%/);
  });
});
