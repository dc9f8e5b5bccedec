import { readFile } from 'node:fs/promises';
import type { OutcomeWindows } from '../decision/index.ts';
import { RolloutInputError } from '../decision/index.ts';
import { parseExperimentFile } from './experiment-file.ts';
import type { LeaderboardSnapshot, LeaderboardSource } from './leaderboard-source.ts';

export interface JsonFileLeaderboardSourceOptions {
  readonly path: string;
  readonly windows: OutcomeWindows;
  /** Reads the file (injectable for tests); defaults to fs.readFile as UTF-8. */
  readonly readText?: (path: string) => Promise<string>;
}

/** A leaderboard source backed by one experiment file (`rekindle evaluate --input FILE`). */
export function createJsonFileLeaderboardSource(
  options: JsonFileLeaderboardSourceOptions,
): LeaderboardSource {
  const readText = options.readText ?? ((path: string) => readFile(path, 'utf8'));
  return {
    async load(route: string, now: Date): Promise<LeaderboardSnapshot> {
      let text: string;
      try {
        text = await readText(options.path);
      } catch (error) {
        throw new RolloutInputError(
          `cannot read ${options.path}: ${(error as Error).message}`,
          'input',
          error,
        );
      }
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch (error) {
        throw new RolloutInputError(
          `${options.path}: not valid JSON: ${(error as Error).message}`,
          'input',
          error,
        );
      }
      const snapshot = parseExperimentFile(json, {
        now,
        windows: options.windows,
        source: options.path,
      });
      if (snapshot.aggregates.route !== route) {
        throw new RolloutInputError(
          `${options.path} holds route "${snapshot.aggregates.route}", not "${route}"`,
          'route',
        );
      }
      return snapshot;
    },
  };
}
