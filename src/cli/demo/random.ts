/**
 * A seeded pseudo-random source: the same `--seed` gives the same leads, the same audience
 * behaviour and so the same decision on every machine. The generator and the hash are the
 * sandbox's (mulberry32, FNV-1a) — small, fast, and good enough for simulation (not for anything
 * secret).
 */
import { fnv1a, mulberry32 } from '../../providers/index.ts';

export interface Random {
  /** Uniform in [0, 1). */
  next(): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
  /** Uniform in [low, high). */
  between(low: number, high: number): number;
  /** Uniform integer in [low, high]. */
  integer(low: number, high: number): number;
  pick<Item>(items: readonly Item[]): Item;
  /** A new, independent stream for one purpose (seeded from this one and the label). */
  fork(label: string): Random;
}

export function createRandom(seed: number): Random {
  const next = mulberry32(seed >>> 0);
  const random: Random = {
    next,
    chance: (p) => next() < p,
    between: (low, high) => low + (high - low) * next(),
    integer: (low, high) => low + Math.floor(next() * (high - low + 1)),
    pick: <Item>(items: readonly Item[]): Item => {
      const item = items[Math.floor(next() * items.length)];
      if (item === undefined) {
        throw new Error('pick from an empty list');
      }
      return item;
    },
    fork: (label) => createRandom(fnv1a(`${seed}:${label}`)),
  };
  return random;
}
