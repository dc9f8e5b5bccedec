/**
 * Just enough of a Dockerfile parser for the deploy tests: instructions (continuation lines
 * joined, comments dropped) grouped into stages.
 */
export interface Instruction {
  readonly keyword: string;
  readonly args: string;
  readonly line: number;
}

export interface Stage {
  readonly base: string;
  readonly name: string | null;
  readonly instructions: readonly Instruction[];
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Array<{ base: string; name: string | null; instructions: Instruction[] }> = [];
  const lines = text.split('\n');
  for (let index = 0; index < lines.length; index += 1) {
    const first = index + 1;
    let logical = lines[index]?.trim() ?? '';
    if (logical === '' || logical.startsWith('#')) {
      continue;
    }
    while (logical.endsWith('\\') && index + 1 < lines.length) {
      index += 1;
      const next = lines[index]?.trim() ?? '';
      logical = `${logical.slice(0, -1).trimEnd()} ${next.startsWith('#') ? '' : next}`.trim();
    }
    const match = /^(\w+)\s+(.*)$/s.exec(logical);
    if (!match?.[1] || match[2] === undefined) {
      throw new Error(`line ${first}: not an instruction: ${logical}`);
    }
    const instruction = { keyword: match[1].toUpperCase(), args: match[2].trim(), line: first };
    if (instruction.keyword === 'FROM') {
      const [base = '', as, name] = instruction.args.split(/\s+/);
      stages.push({
        base,
        name: as?.toUpperCase() === 'AS' ? (name ?? null) : null,
        instructions: [],
      });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) {
      throw new Error(`line ${first}: ${instruction.keyword} before FROM`);
    }
    stage.instructions.push(instruction);
  }
  return stages;
}

/** The arguments of an exec-form instruction (`CMD ["node", "dist/main.js"]`). */
export function execForm(instruction: Instruction): string[] {
  const parsed: unknown = JSON.parse(instruction.args);
  if (!Array.isArray(parsed) || !parsed.every((part) => typeof part === 'string')) {
    throw new Error(`line ${instruction.line}: not an exec-form list: ${instruction.args}`);
  }
  return parsed;
}

export interface CopyInstruction {
  readonly from: string | null;
  readonly chown: string | null;
  readonly sources: readonly string[];
  readonly destination: string;
}

export function parseCopy(instruction: Instruction): CopyInstruction {
  const words = instruction.args.split(/\s+/);
  const flags = words.filter((word) => word.startsWith('--'));
  const paths = words.filter((word) => !word.startsWith('--'));
  const flag = (name: string) =>
    flags.find((word) => word.startsWith(`--${name}=`))?.slice(name.length + 3) ?? null;
  const destination = paths.at(-1);
  if (!destination || paths.length < 2) {
    throw new Error(`line ${instruction.line}: COPY needs a source and a destination`);
  }
  return { from: flag('from'), chown: flag('chown'), sources: paths.slice(0, -1), destination };
}

/** `ENV A=1 B=two` → {A: '1', B: 'two'} (unquoted values, as this project's Dockerfile writes them). */
export function parseEnv(instruction: Instruction): Record<string, string> {
  const variables: Record<string, string> = {};
  for (const pair of instruction.args.split(/\s+/)) {
    const [name, ...value] = pair.split('=');
    if (name) {
      variables[name] = value.join('=');
    }
  }
  return variables;
}

export function instructionsOf(stage: Stage, keyword: string): Instruction[] {
  return stage.instructions.filter((instruction) => instruction.keyword === keyword);
}
