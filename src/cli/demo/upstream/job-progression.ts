/**
 * How a simulated job advances. `poll` (the default): every `pollsPerStep` retrievals move it one
 * status on (a status may also be listed several times to last several polls), so a job finishes
 * after a handful of polls whatever the clock says — the demo's training takes seconds. `time`: one
 * status per `stepMs` of the given clock since it entered its current status; retrievals observe.
 * Shared by the demo's simulated vendors and the fine-tuning fakes in test/fakes/.
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

/** One line per example; a line that is not JSON with a `messages` array is a problem. */
export function validateChatJsonl(
  text: string,
  rules: { minimumExamples: number; alternating: boolean },
): { examples: number; problem: string | null } {
  const lines = text.split('\n').filter((line) => line.trim() !== '');
  for (const [index, line] of lines.entries()) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return { examples: lines.length, problem: `line ${index + 1} is not valid JSON` };
    }
    const messages = (parsed as { messages?: unknown }).messages;
    if (!Array.isArray(messages) || messages.length === 0) {
      return { examples: lines.length, problem: `line ${index + 1} has no messages` };
    }
    const roles = messages.map((message) => (message as { role?: unknown }).role);
    if (roles.at(-1) !== 'assistant') {
      return { examples: lines.length, problem: `line ${index + 1} does not end with assistant` };
    }
    if (rules.alternating && !alternates(roles)) {
      return {
        examples: lines.length,
        problem: `line ${index + 1}: roles must start with system or user, then alternate`,
      };
    }
  }
  if (lines.length < rules.minimumExamples) {
    return {
      examples: lines.length,
      problem: `the file has ${lines.length} examples; at least ${rules.minimumExamples} are required`,
    };
  }
  return { examples: lines.length, problem: null };
}

function alternates(roles: readonly unknown[]): boolean {
  const turns = roles[0] === 'system' ? roles.slice(1) : roles;
  return turns.every((role, index) => role === (index % 2 === 0 ? 'user' : 'assistant'));
}
