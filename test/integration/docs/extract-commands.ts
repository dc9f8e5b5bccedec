import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The shell commands of a Markdown file: every line of a fenced `bash`, `sh`, `shell`, `zsh`,
 * `console` or `crontab` block, with `\` continuations joined and comments dropped. `console`
 * blocks count only `$ ` lines (the rest is output); `crontab` lines count from the command after
 * the schedule.
 */
export interface DocCommand {
  /** Path relative to the repository root, e.g. `docs/operations.md`. */
  readonly doc: string;
  /** 1-based line of the command's first line. */
  readonly line: number;
  /** Index of the fenced block in the file (commands of one block share a shell in the sandbox). */
  readonly block: number;
  readonly language: string;
  /** The command as written, continuations joined; whitespace collapsed outside quotes. */
  readonly text: string;
}

const shellLanguages = new Set(['bash', 'sh', 'shell', 'zsh', 'console', 'crontab']);

export function extractCommands(markdown: string, doc: string): DocCommand[] {
  const lines = markdown.split('\n');
  const commands: DocCommand[] = [];
  let block = -1;
  for (let index = 0; index < lines.length; index += 1) {
    const opening = /^(\s*)(`{3,}|~{3,})\s*([\w+-]*)/.exec(lines[index] ?? '');
    if (!opening) {
      continue;
    }
    block += 1;
    const indent = opening[1]?.length ?? 0;
    const fence = opening[2] ?? '```';
    const language = (opening[3] ?? '').toLowerCase();
    const body: Array<{ text: string; line: number }> = [];
    let end = index + 1;
    for (; end < lines.length; end += 1) {
      const line = lines[end] ?? '';
      if (line.trim().startsWith(fence[0]?.repeat(fence.length) ?? fence)) {
        break;
      }
      body.push({
        text: line.slice(Math.min(indent, line.length - line.trimStart().length)),
        line: end + 1,
      });
    }
    index = end;
    if (shellLanguages.has(language)) {
      for (const command of commandsOfBlock(body, language)) {
        commands.push({ doc, block, language, ...command });
      }
    }
  }
  return commands;
}

function commandsOfBlock(
  body: ReadonlyArray<{ text: string; line: number }>,
  language: string,
): Array<{ text: string; line: number }> {
  const commands: Array<{ text: string; line: number }> = [];
  let pending: { parts: string[]; line: number } | null = null;
  for (const { text, line } of body) {
    let source = text;
    if (!pending) {
      if (language === 'console') {
        if (!source.startsWith('$ ')) {
          continue;
        }
        source = source.slice(2);
      }
      if (source.trim() === '' || source.trim().startsWith('#')) {
        continue;
      }
      if (language === 'crontab') {
        source = cronCommand(source);
      }
    }
    const stripped = stripComment(source).trimEnd();
    const continued = stripped.endsWith('\\');
    const part = (continued ? stripped.slice(0, -1) : stripped).trim();
    const current: { parts: string[]; line: number } = pending ?? { parts: [], line };
    current.parts.push(part);
    pending = current;
    if (!continued) {
      commands.push({ text: collapseWhitespace(current.parts.join(' ')), line: current.line });
      pending = null;
    }
  }
  if (pending) {
    commands.push({ text: collapseWhitespace(pending.parts.join(' ')), line: pending.line });
  }
  return commands;
}

/** `0 3 * * 1  cmd …` or `@weekly cmd …` → `cmd …`; environment lines (`NAME=value`) stay. */
function cronCommand(line: string): string {
  const trimmed = line.trim();
  if (trimmed.startsWith('@')) {
    return trimmed.replace(/^@\w+\s+/, '');
  }
  const fields = trimmed.split(/\s+/);
  if (
    fields.length > 5 &&
    fields.slice(0, 5).every((field) => /^[\d*/,-]+$|^[A-Za-z]{3}$/.test(field))
  ) {
    return trimmed.replace(/^(\S+\s+){5}/, '');
  }
  return trimmed;
}

/** Drops a `# comment` that starts a word outside quotes (`a#b` and `'#'` stay). */
export function stripComment(line: string): string {
  let quote: string | null = null;
  for (let index = 0; index < line.length; index += 1) {
    const character = line[index];
    if (quote) {
      if (character === '\\' && quote === '"') {
        index += 1;
      } else if (character === quote) {
        quote = null;
      }
    } else if (character === "'" || character === '"') {
      quote = character;
    } else if (character === '\\') {
      index += 1;
    } else if (character === '#' && (index === 0 || /\s/.test(line[index - 1] ?? ''))) {
      return line.slice(0, index);
    }
  }
  return line;
}

function collapseWhitespace(command: string): string {
  let result = '';
  let quote: string | null = null;
  for (let index = 0; index < command.length; index += 1) {
    const character = command[index] ?? '';
    if (quote) {
      if (character === quote) {
        quote = null;
      }
      result += character;
    } else if (character === "'" || character === '"') {
      quote = character;
      result += character;
    } else if (/\s/.test(character)) {
      if (!result.endsWith(' ')) {
        result += ' ';
      }
    } else {
      result += character;
    }
  }
  return result.trim();
}

/** README.md and every Markdown file under docs/, in a stable order. */
function documentedFiles(repositoryRoot: string): string[] {
  const files = ['README.md'];
  const walk = (directory: string) => {
    for (const name of readdirSync(directory).sort()) {
      const path = join(directory, name);
      if (statSync(path).isDirectory()) {
        walk(path);
      } else if (name.endsWith('.md')) {
        files.push(relative(repositoryRoot, path));
      }
    }
  };
  walk(join(repositoryRoot, 'docs'));
  return files;
}

export function extractAllCommands(repositoryRoot: string): DocCommand[] {
  return documentedFiles(repositoryRoot).flatMap((doc) =>
    extractCommands(readFileSync(join(repositoryRoot, doc), 'utf8'), doc),
  );
}
