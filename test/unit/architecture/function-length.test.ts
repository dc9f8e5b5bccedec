import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { sourceFiles } from '../../helpers/import-graph.ts';

const srcDirectory = fileURLToPath(new URL('../../../src', import.meta.url));
const maxLines = 80;

/**
 * Declarative lists allowed past the limit, each with its reason: `file:function`.
 */
const declarativeLists: Readonly<Record<string, string>> = {
  'metrics/gateway-metrics.ts:createMetrics': 'one definition per metric, names and labels only',
};

interface FunctionLength {
  readonly where: string;
  readonly lines: number;
}

/**
 * Each function's own lines: its span less the spans of the functions nested in it (callbacks,
 * methods of an object it returns), which are measured on their own.
 */
function functionLengths(file: string, text: string): FunctionLength[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const line = (position: number) => source.getLineAndCharacterOfPosition(position).line;
  const span = (node: ts.Node) => line(node.getEnd()) - line(node.getStart(source)) + 1;
  const bodyOf = (node: ts.Node) =>
    ts.isFunctionLike(node) && 'body' in node ? node.body : undefined;
  const nested = (node: ts.Node): number => {
    let total = 0;
    ts.forEachChild(node, (child) => {
      total += bodyOf(child) ? span(child) : nested(child);
    });
    return total;
  };
  const found: FunctionLength[] = [];
  const visit = (node: ts.Node) => {
    const body = bodyOf(node);
    if (body) {
      const name = ts.getNameOfDeclaration(node as ts.Declaration)?.getText(source);
      const where = `${file}:${name ?? `line ${line(node.getStart(source)) + 1}`}`;
      found.push({ where, lines: span(node) - nested(body) });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

function lengthsIn(files: readonly string[]): FunctionLength[] {
  return files.flatMap((file) =>
    functionLengths(file, readFileSync(join(srcDirectory, file), 'utf8')),
  );
}

const all = lengthsIn(sourceFiles(srcDirectory));

describe(`functions in src/ stay under ${maxLines} lines`, () => {
  it('every function but the named declarative lists', () => {
    expect(all.length).toBeGreaterThan(1000);
    const tooLong = all
      .filter((entry) => entry.lines > maxLines && declarativeLists[entry.where] === undefined)
      .map((entry) => `${entry.where}: ${entry.lines} lines`);
    expect(tooLong).toEqual([]);
  });

  it('each named exception still exists and is still long (else it leaves the list)', () => {
    for (const where of Object.keys(declarativeLists)) {
      const entry = all.find((candidate) => candidate.where === where);
      expect(entry?.lines, where).toBeGreaterThan(maxLines);
    }
  });

  it('measures a long function, and a callback inside it on its own', () => {
    const statements = Array.from({ length: 90 }, (_, index) => `  const a${index} = ${index};`);
    const long = `export function long() {\n${statements.join('\n')}\n}\n`;
    expect(functionLengths('x.ts', long)).toEqual([{ where: 'x.ts:long', lines: 92 }]);
    const wrapped = `export function outer() {\n  return () => {\n${statements.join('\n')}\n  };\n}\n`;
    const lengths = functionLengths('y.ts', wrapped);
    expect(lengths.find((entry) => entry.where === 'y.ts:outer')?.lines).toBe(2);
    expect(lengths.find((entry) => entry.where === 'y.ts:line 2')?.lines).toBe(92);
  });
});
