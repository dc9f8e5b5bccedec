/**
 * How a simulated job advances. `poll` (the default): every `pollsPerStep` retrievals move it one
 * status on (a status may also be listed several times to last several polls), so a job finishes
 * after a handful of polls whatever the clock says — the demo's training takes seconds. `time`: one
 * status per `stepMs` of the given clock since it entered its current status; retrievals observe.
 */
export type JobAdvance = { mode: 'poll'; pollsPerStep?: number } | { mode: 'time'; stepMs: number };

export interface JobProgressionOptions {
  advance?: JobAdvance;
  clock?: () => number;
}

/** A simulated fine-tuning job's path through its vendor's statuses. */
export class JobProgression<Status extends string> {
  #path: Status[];
  #index = 0;
  #pollsInStatus = 0;
  #enteredAt: number;
  readonly #advance: JobAdvance;
  readonly #clock: () => number;
  /** While held, polls do not move the job (a test keeps it running). */
  held = false;

  constructor(
    path: readonly Status[],
    private readonly onEnter: (status: Status, step: number) => void,
    options: JobProgressionOptions = {},
  ) {
    if (path.length === 0) {
      throw new Error('a job needs at least one status');
    }
    this.#path = [...path];
    this.#advance = options.advance ?? { mode: 'poll' };
    this.#clock = options.clock ?? Date.now;
    this.#enteredAt = this.#clock();
  }

  get status(): Status {
    return this.#path[this.#index] as Status;
  }

  get isTerminal(): boolean {
    return this.#index >= this.#path.length - 1;
  }

  /** Called on every retrieval of the job; moves it on as the advance mode says. */
  observe(): void {
    if (this.held || this.isTerminal) {
      return;
    }
    if (this.#advance.mode === 'poll') {
      this.#pollsInStatus += 1;
      if (this.#pollsInStatus >= (this.#advance.pollsPerStep ?? 1)) {
        this.step();
      }
      return;
    }
    while (!this.isTerminal && this.#clock() - this.#enteredAt >= this.#advance.stepMs) {
      const next = this.#enteredAt + this.#advance.stepMs;
      this.step();
      this.#enteredAt = next;
    }
  }

  /** Moves one status on regardless of the mode. */
  step(): void {
    if (this.isTerminal) {
      return;
    }
    this.#index += 1;
    this.#pollsInStatus = 0;
    this.#enteredAt = this.#clock();
    this.onEnter(this.status, this.#index);
  }

  /** Replaces the rest of the path (a cancel, a scripted failure) and enters its first status now. */
  divert(rest: readonly Status[]): void {
    this.#path = [...this.#path.slice(0, this.#index + 1), ...rest];
    this.step();
  }
}
