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
  // On a terminal the bar being drawn owns the last line: anything else clears it first and the
  // bar is drawn again below.
  let active: TerminalBar | null = null;
  const above = (text: string) => {
    if (active) {
      output.write('\r\x1b[2K');
    }
    output.write(text);
    active?.draw();
  };
  const progress: DemoProgress = {
    phase(title) {
      above(`\n== ${title}\n`);
    },
    note(line) {
      above(`   ${line}\n`);
    },
    bar(label, total) {
      if (!output.isTTY) {
        return plainBar(output, label, total, clock);
      }
      const bar = new TerminalBar(output, label, total, clock, () => {
        active = null;
      });
      active = bar;
      return bar;
    },
  };
  return progress;
}

class TerminalBar implements ProgressBar {
  readonly #started: number;
  readonly #width: number;
  #count = 0;
  #drawnAt = 0;

  constructor(
    private readonly output: ProgressOutput,
    private readonly label: string,
    private readonly total: number,
    private readonly clock: () => number,
    private readonly onDone: () => void,
  ) {
    this.#started = clock();
    this.#width = Math.max(10, Math.min(30, (output.columns ?? 80) - label.length - 30));
    this.draw();
  }

  draw(): void {
    const share = this.total > 0 ? Math.min(1, this.#count / this.total) : 1;
    const filled = Math.round(share * this.#width);
    const bar = `${'#'.repeat(filled)}${'.'.repeat(this.#width - filled)}`;
    const percent = String(Math.round(share * 100)).padStart(3);
    this.output.write(`\r   ${this.label} [${bar}] ${percent}% ${this.#count}/${this.total}`);
  }

  tick(step = 1): void {
    this.#count += step;
    const now = this.clock();
    if (now - this.#drawnAt >= 100 || this.#count >= this.total) {
      this.#drawnAt = now;
      this.draw();
    }
  }

  done(summary?: string): void {
    const elapsed = seconds(this.clock() - this.#started);
    this.output.write(
      `\r\x1b[2K   ${this.label}: ${summary ?? `${this.#count} done`} (${elapsed})\n`,
    );
    this.onDone();
  }
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
