/**
 * The runtime stage of deploy/Dockerfile, assembled without Docker: its COPY instructions are
 * carried out into a directory (`/app/…` of the build stage is the compiled dist/ of this
 * checkout), and its `npm ci --omit=dev` becomes a node_modules of links to exactly the packages
 * that command installs — those package-lock.json does not mark `dev`. So tsx, typescript and
 * every other dev dependency are absent, as in the image, and the directory runs what the image
 * runs.
 */
import { cpSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, posix } from 'node:path';
import {
  execForm,
  instructionsOf,
  parseCopy,
  parseDockerfile,
  parseEnv,
  type Stage,
} from './dockerfile.ts';

export interface RuntimeLayout {
  readonly directory: string;
  /** The image's CMD. */
  readonly command: readonly string[];
  /** The image's ENV. */
  readonly env: Readonly<Record<string, string>>;
}

export function runtimeStage(repositoryRoot: string): { stages: Stage[]; runtime: Stage } {
  const stages = parseDockerfile(readFileSync(join(repositoryRoot, 'deploy/Dockerfile'), 'utf8'));
  const runtime = stages.at(-1);
  if (!runtime) {
    throw new Error('deploy/Dockerfile has no stage');
  }
  return { stages, runtime };
}

export function assembleRuntimeLayout(repositoryRoot: string, directory: string): RuntimeLayout {
  const { stages, runtime } = runtimeStage(repositoryRoot);
  const workdirOf = (stage: Stage) => instructionsOf(stage, 'WORKDIR').at(-1)?.args ?? '/';
  const workdir = workdirOf(runtime);
  const env: Record<string, string> = {};
  for (const instruction of runtime.instructions) {
    if (instruction.keyword === 'ENV') {
      Object.assign(env, parseEnv(instruction));
    } else if (instruction.keyword === 'RUN' && /\bnpm ci\b.*--omit=dev/.test(instruction.args)) {
      linkProductionDependencies(repositoryRoot, directory);
    } else if (instruction.keyword === 'COPY') {
      const copy = parseCopy(instruction);
      const fromStage = copy.from ? stages.find((stage) => stage.name === copy.from) : null;
      if (copy.from && !fromStage) {
        throw new Error(`line ${instruction.line}: no stage named ${copy.from}`);
      }
      const destination = join(
        directory,
        posix.relative(workdir, posix.resolve(workdir, copy.destination)),
      );
      for (const source of copy.sources) {
        // A path in the build stage is the same path of this checkout (its dist/ is the build).
        const relativeSource = fromStage
          ? posix.relative(workdirOf(fromStage), posix.resolve(workdirOf(fromStage), source))
          : source;
        const from = join(repositoryRoot, relativeSource);
        if (!existsSync(from)) {
          throw new Error(`line ${instruction.line}: ${from} does not exist`);
        }
        const target =
          copy.destination.endsWith('/') || copy.sources.length > 1
            ? join(destination, basename(from))
            : destination;
        mkdirSync(dirname(target), { recursive: true });
        cpSync(from, target, { recursive: true });
      }
    }
  }
  const cmd = instructionsOf(runtime, 'CMD').at(-1);
  if (!cmd) {
    throw new Error('the runtime stage has no CMD');
  }
  return { directory, command: execForm(cmd), env };
}

interface LockPackage {
  dev?: boolean;
}

function linkProductionDependencies(repositoryRoot: string, directory: string): void {
  const lock = JSON.parse(readFileSync(join(repositoryRoot, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, LockPackage>;
  };
  for (const [path, entry] of Object.entries(lock.packages)) {
    // Top-level packages only: nested ones live inside their parent's directory.
    const topLevel = /^node_modules\/(@[^/]+\/)?[^/]+$/.test(path);
    const installed = join(repositoryRoot, path);
    if (!topLevel || entry.dev === true || !existsSync(installed)) {
      continue;
    }
    const link = join(directory, path);
    mkdirSync(dirname(link), { recursive: true });
    symlinkSync(installed, link, 'dir');
  }
  writeFileSync(join(directory, 'node_modules', '.production-only'), 'npm ci --omit=dev\n');
}
