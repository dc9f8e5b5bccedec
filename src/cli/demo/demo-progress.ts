/**
 * What the demo shows while it runs, on stderr: a heading per phase, progress bars redrawn in
 * place on a terminal, or a few plain lines (25 %, 50 %, 75 %, done) when stderr is a file or a
 * pipe, and nothing at all with `--json`.
 */
export interface ProgressBar {
  tick(count?: number): void;
  /** Ends the bar with a summary line. */
  done(summary?: string): void;
}

export interface DemoProgress {
  phase(title: string): void;
  note(line: string): void;
  bar(label: string, total: number): ProgressBar;
}

export interface ProgressOutput {
  write(text: string): void;
  readonly isTTY: boolean;
  readonly columns?: number | undefined;
}

export const silentProgress: DemoProgress = {
  phase() {},
  note() {},
  bar: () => ({ tick() {}, done() {} }),
};

export function createDemoProgress(output: ProgressOutput, clock: () => number = Date.now) {
  const progress: DemoProgress = {
    phase(title) {
      output.write(`\n== ${title}\n`);
    },
    note(line) {
      output.write(`   ${line}\n`);
    },
    bar(label, total) {
      return output.isTTY
        ? terminalBar(output, label, total, clock)
        : plainBar(output, label, total, clock);
    },
  };
  return progress;
}

function terminalBar(
  output: ProgressOutput,
  label: string,
  total: number,
  clock: () => number,
): ProgressBar {
  const started = clock();
  let count = 0;
  let drawnAt = 0;
  const width = Math.max(10, Math.min(30, (output.columns ?? 80) - label.length - 30));
  const draw = () => {
    const share = total > 0 ? Math.min(1, count / total) : 1;
    const filled = Math.round(share * width);
    output.write(
      `\r   ${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(Math.round(share * 100)).padStart(3)}% ${count}/${total}`,
    );
  };
  draw();
  return {
    tick(step = 1) {
      count += step;
      const now = clock();
      if (now - drawnAt >= 100 || count >= total) {
        drawnAt = now;
        draw();
      }
    },
    done(summary) {
      output.write(
        `\r\x1b[2K   ${label}: ${summary ?? `${count} done`} (${seconds(clock() - started)})\n`,
      );
    },
  };
}

function plainBar(
  output: ProgressOutput,
  label: string,
  total: number,
  clock: () => number,
): ProgressBar {
  const started = clock();
  let count = 0;
  let nextQuarter = 1;
  return {
    tick(step = 1) {
      count += step;
      while (total > 0 && nextQuarter < 4 && count >= (total * nextQuarter) / 4) {
        output.write(`   ${label}: ${nextQuarter * 25}% (${count}/${total})\n`);
        nextQuarter += 1;
      }
    },
    done(summary) {
      output.write(`   ${label}: ${summary ?? `${count} done`} (${seconds(clock() - started)})\n`);
    },
  };
}

function seconds(milliseconds: number): string {
  return `${(milliseconds / 1000).toFixed(1)} s`;
}
