import { readdirSync, readFileSync } from 'node:fs';
import { join, posix, relative } from 'node:path';
import ts from 'typescript';

/** One import of a src file by another, as the layer rule sees it. */
export interface ImportEdge {
  /** Both paths relative to src/, with forward slashes. */
  readonly from: string;
  readonly to: string;
  /** `import type`, or every imported name marked `type`: erased at runtime. */
  readonly typeOnly: boolean;
}

const belowGateway = ['pipeline', 'router', 'providers', 'store', 'errors', 'config', 'metrics'];

/**
 * The layers of ARCHITECTURE.md §2, as runtime imports each folder may make of the others.
 * Arrows point down: cli → main → console/gateway → pipeline → router → providers, pipeline →
 * store; every folder may use errors, config and metrics (config itself only errors, metrics
 * errors and config).
 */
export const allowedImports: Readonly<Record<string, readonly string[]>> = {
  errors: [],
  config: ['errors'],
  metrics: ['errors', 'config'],
  providers: ['errors'],
  router: ['providers', 'errors', 'config', 'metrics'],
  store: ['errors', 'config', 'metrics'],
  pipeline: ['router', 'providers', 'store', 'errors', 'config', 'metrics'],
  gateway: ['console', ...belowGateway],
  // The operator console sits beside the gateway; the gateway's one route table
  // (register-routes.ts) mounts it, so gateway → console, never the other way.
  console: belowGateway,
  main: ['console', 'gateway', ...belowGateway],
  cli: ['main', 'console', 'gateway', ...belowGateway],
  // The process entry: it starts the composition root, and nothing imports it.
  'main.ts': ['main', 'config'],
};

/** Imports erased at runtime that a folder may make beyond its runtime list: providers read config's types. */
export const allowedTypeImports: Readonly<Record<string, readonly string[]>> = {
  providers: ['config'],
};

/**
 * Named exceptions, each with its reason. The composition root hands the gateway the CLI's text
 * tables for `?format=table` (presentation lives in the CLI; the gateway never imports it).
 */
export const allowedEdges: readonly { from: string; to: string; why: string }[] = [
  {
    from: 'main/build-http.ts',
    to: 'cli/format/index.ts',
    why: 'the composition root injects the CLI tables into the gateway',
  },
];

/** The one file of a folder that other folders may import. */
export function publicFace(folder: string): string {
  return `${folder}/index.ts`;
}

export function folderOf(path: string): string {
  const slash = path.indexOf('/');
  return slash === -1 ? path : path.slice(0, slash);
}

/** Every edge between two different folders of src/ that breaks the layers or skips a face. */
export function layerViolations(edges: readonly ImportEdge[]): string[] {
  const problems: string[] = [];
  for (const edge of edges) {
    const from = folderOf(edge.from);
    const to = folderOf(edge.to);
    if (from === to) {
      continue;
    }
    if (allowedEdges.some((allowed) => allowed.from === edge.from && allowed.to === edge.to)) {
      continue;
    }
    const runtime = allowedImports[from] ?? [];
    const typeOnly = allowedTypeImports[from] ?? [];
    const allowed = runtime.includes(to) || (edge.typeOnly && typeOnly.includes(to));
    if (!allowed) {
      const kind = edge.typeOnly ? 'type import' : 'import';
      problems.push(`${edge.from} → ${edge.to}: ${from} may not ${kind} ${to}`);
    } else if (edge.to !== publicFace(to)) {
      problems.push(`${edge.from} → ${edge.to}: import ${publicFace(to)} instead`);
    }
  }
  return problems;
}

/** The relative imports, re-exports and dynamic imports of one source text. */
export function importsOf(from: string, text: string): ImportEdge[] {
  const source = ts.createSourceFile(from, text, ts.ScriptTarget.ES2022, false);
  const edges: ImportEdge[] = [];
  const add = (specifier: string, typeOnly: boolean) => {
    if (specifier.startsWith('.')) {
      const to = posix.normalize(posix.join(posix.dirname(from), specifier));
      edges.push({ from, to, typeOnly });
    }
  };
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, isTypeOnlyImport(node.importClause));
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node.moduleSpecifier.text, node.isTypeOnly || allTypeOnly(node.exportClause));
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      add(node.arguments[0].text, false);
    } else if (ts.isImportTypeNode(node)) {
      const literal = ts.isLiteralTypeNode(node.argument) ? node.argument.literal : undefined;
      if (literal && ts.isStringLiteral(literal)) {
        add(literal.text, true);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

function isTypeOnlyImport(clause: ts.ImportClause | undefined): boolean {
  if (!clause) {
    return false;
  }
  if (clause.isTypeOnly) {
    return true;
  }
  const bindings = clause.namedBindings;
  return (
    clause.name === undefined &&
    bindings !== undefined &&
    ts.isNamedImports(bindings) &&
    bindings.elements.length > 0 &&
    bindings.elements.every((element) => element.isTypeOnly)
  );
}

function allTypeOnly(clause: ts.NamedExportBindings | undefined): boolean {
  return (
    clause !== undefined &&
    ts.isNamedExports(clause) &&
    clause.elements.length > 0 &&
    clause.elements.every((element) => element.isTypeOnly)
  );
}

/** Every .ts file under a directory, relative to it. */
export function sourceFiles(directory: string): string[] {
  const found: string[] = [];
  const walk = (current: string) => {
    for (const entry of readdirSync(current, { withFileTypes: true })) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        walk(path);
      } else if (entry.name.endsWith('.ts')) {
        found.push(relative(directory, path).split('\\').join('/'));
      }
    }
  };
  walk(directory);
  return found.sort();
}

export function importGraph(srcDirectory: string): ImportEdge[] {
  return sourceFiles(srcDirectory).flatMap((file) =>
    importsOf(file, readFileSync(join(srcDirectory, file), 'utf8')),
  );
}
