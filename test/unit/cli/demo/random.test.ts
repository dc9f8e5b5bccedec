import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../../src/cli/demo/random.ts';

/**
 * The demo's promise is "same seed, same decision": its random streams must not move when the
 * generator underneath is shared with the sandbox. The values are those of the demo's own
 * mulberry32 and FNV-1a before they became the sandbox's.
 */
describe('the demo random source', () => {
  it('draws the same numbers for seed 42 as before, in its forks too', () => {
    const random = createRandom(42);
    expect([random.next(), random.next(), random.next()]).toEqual([
      0.6011037519201636, 0.44829055899754167, 0.8524657934904099,
    ]);
    const fork = createRandom(42).fork('lead:0');
    expect([fork.next(), fork.integer(1, 100), fork.pick(['a', 'b', 'c', 'd'])]).toEqual([
      0.13297229656018317,
      68,
      'a',
    ]);
  });

  it('refuses to pick from an empty list', () => {
    expect(() => createRandom(1).pick([])).toThrow('pick from an empty list');
  });
});
