import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { type Frame, type Stage, stageOfStack } from './stage-rules.ts';

/** The parts of a V8 `.cpuprofile` (what `node --cpu-prof` writes) this reads. */
interface CpuProfile {
  readonly nodes: ReadonlyArray<{
    readonly id: number;
    readonly callFrame: Frame;
    readonly children?: readonly number[];
  }>;
  /** Microseconds on the monotonic clock (the one `process.hrtime` reads). */
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface ProfileWindow {
  /** Monotonic microseconds (process.hrtime.bigint() / 1000n). */
  readonly fromUs: number;
  readonly toUs: number;
}

export interface StageTimes {
  /** Samples per stage inside the window (the thread was not idle). */
  readonly busyUs: Map<Stage, number>;
  readonly totalBusyUs: number;
  readonly idleUs: number;
  /** Samples per function (`name file`) for the top list. */
  readonly byFunction: Map<string, { stage: Stage; us: number }>;
}

/** The profiles a process wrote: the main thread's (`.0.`) first, then its worker threads'. */
export function profilesOf(directory: string, pid: number): string[] {
  return readdirSync(directory)
    .filter((name) => name.endsWith('.cpuprofile') && name.includes(`.${pid}.`))
    .sort((a, b) => threadNumber(a) - threadNumber(b))
    .map((name) => join(directory, name));
}

function threadNumber(name: string): number {
  return Number(/\.(\d+)\.\d+\.cpuprofile$/.exec(name)?.[1] ?? 99);
}

/**
 * Samples of one thread inside the window, by stage, each counted once (×1 µs of `busyUs` per
 * sample, scaled by the caller). Not weighted by the time to the next sample, as Chrome does: on a
 * loaded box a thread that was preempted (typically inside a syscall such as writev) would be
 * charged the whole time it waited for a CPU; a sample is only taken when the thread runs again.
 * Stacks are classified once per profile node.
 */
export function stageTimes(path: string, window: ProfileWindow): StageTimes {
  const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
  const parents = new Map<number, number>();
  const frames = new Map<number, Frame>();
  for (const node of profile.nodes) {
    frames.set(node.id, node.callFrame);
    for (const child of node.children ?? []) {
      parents.set(child, node.id);
    }
  }
  const stageOfNode = new Map<number, Stage>();
  const classify = (id: number): Stage => {
    const known = stageOfNode.get(id);
    if (known !== undefined) {
      return known;
    }
    const stack: Frame[] = [];
    for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
      const frame = frames.get(at);
      if (frame) {
        stack.push(frame);
      }
    }
    const stage = stageOfStack(stack);
    stageOfNode.set(id, stage);
    return stage;
  };
  const busyUs = new Map<Stage, number>();
  const byFunction = new Map<string, { stage: Stage; us: number }>();
  let totalBusyUs = 0;
  let idleUs = 0;
  let time = profile.startTime;
  for (let index = 0; index < profile.samples.length; index++) {
    time += profile.timeDeltas[index] ?? 0;
    const interval = 1;
    const id = profile.samples[index];
    if (id === undefined || time < window.fromUs || time > window.toUs) {
      continue;
    }
    const frame = frames.get(id);
    if (frame?.functionName === '(idle)') {
      idleUs += interval;
      continue;
    }
    const stage = classify(id);
    busyUs.set(stage, (busyUs.get(stage) ?? 0) + interval);
    totalBusyUs += interval;
    // By function and stage: a syscall such as writev serves several stages.
    const key = `${frame?.functionName || '(anonymous)'} ${shortUrl(frame?.url ?? '')}\0${stage}`;
    const entry = byFunction.get(key) ?? { stage, us: 0 };
    entry.us += interval;
    byFunction.set(key, entry);
  }
  return { busyUs, totalBusyUs, idleUs, byFunction };
}

function shortUrl(url: string): string {
  const inPackage = /\/node_modules\/(.+)$/.exec(url)?.[1];
  if (inPackage) {
    return inPackage;
  }
  return /\/(?:src|dist)\/(.+)$/.exec(url)?.[1] ?? url;
}
