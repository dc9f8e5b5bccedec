import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importGraph, importsOf, layerViolations } from '../../helpers/import-graph.ts';

const srcDirectory = fileURLToPath(new URL('../../../src', import.meta.url));
const edges = importGraph(srcDirectory);

describe('the layers of ARCHITECTURE.md §2', () => {
  it('no file in src/ imports across the layers or around a folder’s index.ts', () => {
    expect(edges.length).toBeGreaterThan(300);
    expect(layerViolations(edges)).toEqual([]);
  });

  it('nothing imports the process entry src/main.ts', () => {
    const importers = edges.filter((edge) => edge.to === 'main.ts');
    expect(importers).toEqual([]);
  });

  it('reports a forbidden edge added to a file (providers importing the router)', () => {
    const file = "import { ChatRouter } from '../router/index.ts';\n";
    const violations = layerViolations(importsOf('providers/chat-model.ts', file));
    expect(violations).toEqual([
      'providers/chat-model.ts → router/index.ts: providers may not import router',
    ]);
  });

  it('reports an upward edge even when it goes through the face (pipeline importing the gateway)', () => {
    const file = "export { createApp } from '../../gateway/index.ts';\n";
    expect(layerViolations(importsOf('pipeline/rollout/x.ts', file))).toHaveLength(1);
  });

  it('reports a runtime import of config from providers, but not a type-only one', () => {
    const runtime = "import { loadConfig } from '../config/index.ts';\n";
    const typeOnly = "import type { GatewayConfig } from '../config/index.ts';\n";
    const mixed = "import { type GatewayConfig, loadConfig } from '../config/index.ts';\n";
    expect(layerViolations(importsOf('providers/a.ts', runtime))).toHaveLength(1);
    expect(layerViolations(importsOf('providers/a.ts', typeOnly))).toEqual([]);
    expect(layerViolations(importsOf('providers/a.ts', mixed))).toHaveLength(1);
  });

  it('reports an import that reaches past a folder’s index.ts, and a dynamic one', () => {
    const deep = "import { RegistrySnapshot } from '../../router/registry-snapshot.ts';\n";
    expect(layerViolations(importsOf('pipeline/rollout/a.ts', deep))).toEqual([
      'pipeline/rollout/a.ts → router/registry-snapshot.ts: import router/index.ts instead',
    ]);
    const dynamic = "const router = await import('../router/index.ts');\n";
    expect(layerViolations(importsOf('store/a.ts', dynamic))).toHaveLength(1);
  });

  it('errors is a leaf: it imports nothing of ours', () => {
    const file = "import type { Logger } from '../metrics/index.ts';\n";
    expect(layerViolations(importsOf('errors/a.ts', file))).toHaveLength(1);
    const outside = edges.filter(
      (edge) => edge.from.startsWith('errors/') && !edge.to.startsWith('errors/'),
    );
    expect(outside).toEqual([]);
  });
});
