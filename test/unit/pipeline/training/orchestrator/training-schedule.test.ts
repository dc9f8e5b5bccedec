import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, readEnv } from '../../../../../src/config/index.ts';
import { silentLogger } from '../../../../../src/metrics/index.ts';
import {
  pollBackoff,
  pollDelayMs,
  scheduleFromConfig,
  scheduleSlot,
  startTrainingSchedule,
} from '../../../../../src/pipeline/training/index.ts';

describe('the weekly training schedule', () => {
  const config = (env: Record<string, string>, schedule: string | null) =>
    loadConfig({ env: readEnv(env), file: { training: { schedule } } });

  it('is off without training.schedule and uses the first vendor with a key', () => {
    expect(scheduleFromConfig(config({ OPENAI_API_KEY: 'k' }, null))).toBeNull();
    expect(
      scheduleFromConfig(config({ OPENAI_API_KEY: 'k', TOGETHER_API_KEY: 't' }, '0 3 * * 1')),
    ).toEqual({
      cron: '0 3 * * 1',
      provider: 'openai',
      deployImmediately: false,
      abTestTraffic: null,
    });
    expect(scheduleFromConfig(config({ TOGETHER_API_KEY: 't' }, '0 3 * * 1'))?.provider).toBe(
      'together',
    );
    expect(() => scheduleFromConfig(config({}, '0 3 * * 1'))).toThrow(ConfigError);
  });

  it('refuses a cron expression croner cannot read, and says when it runs next', () => {
    expect(() => startTrainingSchedule('every monday', async () => {}, silentLogger)).toThrow(
      /training\.schedule: not a valid cron expression "every monday"/,
    );
    const schedule = startTrainingSchedule('0 3 * * 1', async () => {}, silentLogger);
    const next = schedule.nextRun();
    schedule.stop();
    expect(next?.getDay()).toBe(1);
    expect([next?.getHours(), next?.getMinutes()]).toEqual([3, 0]);
    expect(next?.getTime()).toBeGreaterThan(Date.now());
  });

  it('fires with the scheduled time; a firing maps to one slot per route and minute', async () => {
    const fired: Date[] = [];
    const schedule = startTrainingSchedule(
      '* * * * * *',
      async (scheduled) => {
        fired.push(scheduled);
      },
      silentLogger,
    );
    const deadline = Date.now() + 5_000;
    while (fired.length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    schedule.stop();
    expect(fired.length).toBeGreaterThan(0);
    expect(fired[0]?.getMilliseconds()).toBe(0);
    expect(scheduleSlot('outreach', new Date('2026-11-30T03:00:41.250Z'))).toBe(
      'outreach@2026-11-30T03:00:00.000Z',
    );
  });
});

describe('poll backoff', () => {
  it('grows 1.5× per unchanged poll up to the ceiling (8 × base by default, within 1 s – 10 min)', () => {
    const backoff = pollBackoff(15_000);
    expect(backoff.maxMs).toBe(120_000);
    expect([0, 1, 2, 3, 4, 5, 6, 20].map((count) => pollDelayMs(backoff, count))).toEqual([
      15_000, 22_500, 33_750, 50_625, 75_938, 113_906, 120_000, 120_000,
    ]);
    expect(pollBackoff(20).maxMs).toBe(1_000);
    expect(pollBackoff(600_000).maxMs).toBe(600_000);
    expect(pollBackoff(100, 50).maxMs).toBe(100);
  });
});
