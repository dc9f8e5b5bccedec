import type { ShellResult, ShellServer } from './shell-sandbox.ts';

/**
 * How the test accounts for one documented command. A command may need several (`npm ci && npm
 * start`: `.ci/run` runs the first half, the sandbox the second).
 */
export type Coverage =
  /** Run for real in a sandbox group; exit code and output checked. */
  | RunCoverage
  /** A long-running command (`npm start`, `prometheus`): started, polled until ready, checked. */
  | ServerCoverage
  /** A variable assignment run before the later commands of its block (they share one shell). */
  | { readonly kind: 'setup' }
  /** `export NAME=…` the sandbox sets itself (substituted) for every command of `group`. */
  | { readonly kind: 'sandbox-env'; readonly group: GroupName; readonly variable: string }
  /** Run by a test file; the file must exist and contain every string of `contains`. */
  | { readonly kind: 'test'; readonly file: string; readonly contains: readonly string[] }
  /** Run by `.ci/run` (which must contain `contains`). */
  | { readonly kind: 'ci'; readonly contains: string }
  /** The identical command of another doc is run (that doc's entry must be `run` or `server`). */
  | { readonly kind: 'same-as'; readonly doc: string }
  /** Cannot run on this project's machines; `equivalent` is the test that runs the same path. */
  | {
      readonly kind: 'not-runnable';
      readonly reason: string;
      readonly equivalent?: { readonly file: string; readonly contains: readonly string[] };
    };

/** Sandboxes; each runs its commands in table order, the groups side by side. */
export type GroupName = 'readme' | 'experiments' | 'supabase' | 'operations' | 'prometheus';

export interface Sandbox {
  readonly group: GroupName;
  readonly repositoryRoot: string;
  /** A temp directory of this group, removed afterwards. */
  readonly temporary: string;
  /** Variables every command of the group gets (on top of a clean environment). */
  readonly env: Record<string, string>;
  /** Placeholders of the docs → sandbox values, applied to every command of the group. */
  readonly replacements: Array<[string, string]>;
  /** Named values the checks need (`gatewayUrl`, `prometheusUrl`…). */
  readonly values: Record<string, string>;
  /** Servers started by `server` entries, stopped at the end of the group (or by stopServers). */
  readonly servers: ShellServer[];
  /** Every server the group started, stopped or not (their output explains later failures). */
  readonly serverHistory: ShellServer[];
  /** Group-specific helpers (the PostgREST fake's calls…). */
  readonly extras: Record<string, unknown>;
  /** `${name}` in a replacement → `values[name]` (also `repositoryRoot`, `temporary`). */
  resolve(text: string): string;
  stopServers(): Promise<void>;
  /** Stops the servers and removes the temp directory and the group's own services. */
  close(): Promise<void>;
}

export interface RunCoverage {
  readonly kind: 'run';
  readonly group: GroupName;
  /** The part of the line that is run, when not all of it (`npm start` of `npm ci && npm start`). */
  readonly part?: string;
  /** Replacements for this command only (on top of the group's). */
  readonly replacements?: ReadonlyArray<readonly [string, string]>;
  /** Sandbox preparation that is not itself a documented command (runs first). */
  readonly before?: (sandbox: Sandbox) => Promise<void>;
  /** Stop the group's servers first (an embedded PGlite has one owner). */
  readonly stopServersFirst?: boolean;
  readonly expect: (result: ShellResult, sandbox: Sandbox) => void | Promise<void>;
  /** Values taken from the output into the group's environment (e.g. a created API key). */
  readonly capture?: (result: ShellResult) => Record<string, string>;
}

export interface ServerCoverage {
  readonly kind: 'server';
  readonly group: GroupName;
  readonly part?: string;
  readonly replacements?: ReadonlyArray<readonly [string, string]>;
  /** Polled until it answers 2xx. */
  readonly readyUrl: (sandbox: Sandbox) => string;
  /** Checks while it runs; it keeps running for the group's later commands. */
  readonly check: (sandbox: Sandbox, server: ShellServer) => Promise<void>;
}

export interface CoverageEntry {
  readonly doc: string;
  readonly command: string;
  readonly how: Coverage | readonly Coverage[];
}

export function coveragesOf(entry: CoverageEntry): readonly Coverage[] {
  return Array.isArray(entry.how) ? entry.how : [entry.how as Coverage];
}
