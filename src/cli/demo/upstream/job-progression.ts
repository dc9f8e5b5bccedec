/**
 * A simulated fine-tuning job's path through its vendor's statuses. Each retrieval of the job moves
 * it one status on (a status may be listed several times to last several polls), so a job finishes
 * after a handful of polls, whatever the clock says: the demo's training takes seconds.
 */
export class JobProgression<Status extends string> {
  #path: Status[];
  #index = 0;

  constructor(
    path: readonly Status[],
    private readonly onEnter: (status: Status, step: number) => void,
  ) {
    this.#path = [...path];
  }

  get status(): Status {
    return this.#path[this.#index] as Status;
  }

  get isFinished(): boolean {
    return this.#index >= this.#path.length - 1;
  }

  /** A poll: one status (or one more round of the same status) further. */
  observe(): void {
    if (!this.isFinished) {
      this.#index += 1;
      this.onEnter(this.status, this.#index);
    }
  }

  /** Replaces what is left of the path (a cancel) and enters its first status at once. */
  divert(rest: readonly Status[]): void {
    this.#path = [...this.#path.slice(0, this.#index + 1), ...rest];
    this.observe();
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
