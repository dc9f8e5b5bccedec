import { readdirSync, readFileSync } from 'node:fs';
import { childrenOf, cpuMicrosecondsOf } from './processes.ts';

/**
 * CPU time (user + system, µs) of each thread of a process, by thread id; empty off Linux. The
 * profiler's own sampling thread (`v8:ProfEvntProc`, there under --cpu-prof) is left out.
 */
export function threadCpu(pid: number): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      if (readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').startsWith('v8:Prof')) {
        continue;
      }
      const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      out.set(Number(tid), ((Number(fields[11]) + Number(fields[12])) * 1_000_000) / 100);
    }
  } catch {
    // the process ended, or no /proc
  }
  return out;
}

/** The postmaster listening on `port` (its command line carries `-p PORT`), or null. */
export function postmasterOf(port: number): number | null {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) {
      continue;
    }
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const flag = args.indexOf('-p');
      if (/postgres$/.test(args[0] ?? '') && flag >= 0 && args[flag + 1] === String(port)) {
        return Number(entry);
      }
    } catch {
      // gone meanwhile
    }
  }
  return null;
}

/**
 * CPU used so far by a PostgreSQL server: the postmaster and every process it forked (backends,
 * WAL writer, checkpointer…), µs by pid. Differences of two readings count only pids in both.
 */
export function postgresCpu(postmaster: number): Map<number, number> {
  const out = new Map<number, number>();
  for (const pid of [postmaster, ...childrenOf(postmaster)]) {
    const used = cpuMicrosecondsOf(pid);
    if (used !== null) {
      out.set(pid, used);
    }
  }
  return out;
}

/** Sum over keys of after − before (a key missing before counts from 0: a new backend). */
export function cpuDelta(before: Map<number, number>, after: Map<number, number>): number {
  let total = 0;
  for (const [key, value] of after) {
    total += value - (before.get(key) ?? 0);
  }
  return total;
}
