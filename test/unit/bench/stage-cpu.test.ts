import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stageTimes } from '../../../bench/harness/cpu-profile.ts';
import { stageOfStack } from '../../../bench/harness/stage-rules.ts';

const directory = mkdtempSync(join(tmpdir(), 'rekindle-stage-cpu-'));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

const frame = (functionName: string, url = '') => ({ functionName, url });
const src = (path: string) => `file:///repo/dist/${path}`;

describe('stage rules', () => {
  it('gives a builtin the stage of the gateway file that called it', () => {
    expect(
      stageOfStack([
        frame('JSON.parse'),
        frame('parseChatCompletionRequest', src('gateway/openai-wire.js')),
      ]),
    ).toBe('parse');
    expect(
      stageOfStack([
        frame('parse'),
        frame(
          'parseOpenAICompletion',
          src('providers/openai-compatible/parse-openai-completion.js'),
        ),
        frame('generate', src('providers/openai-compatible/openai-compatible-provider.js')),
      ]),
    ).toBe('upstream answer');
  });

  it('tells the response write from the upstream request write by their callers', () => {
    const write = [frame('writev'), frame('writevGeneric', 'node:internal/stream_base_commons')];
    expect(stageOfStack([...write, frame('end', 'node:_http_outgoing')])).toBe(
      'HTTP server (node:http, node-server, Hono)',
    );
    expect(
      stageOfStack([
        ...write,
        frame('writeH1', 'file:///repo/node_modules/undici/lib/dispatcher/client-h1.js'),
      ]),
    ).toBe('upstream request');
  });

  it('names tracking, metrics, headers, GC and an unclaimed stack', () => {
    expect(stageOfStack([frame('track', src('gateway/routes/chat-completions.js'))])).toBe(
      'tracking enqueue + journal',
    );
    expect(stageOfStack([frame('push', src('pipeline/outcomes/tracking-buffer.js'))])).toBe(
      'tracking enqueue + journal',
    );
    expect(
      stageOfStack([frame('inc', 'file:///repo/node_modules/prom-client/lib/counter.js')]),
    ).toBe('metrics');
    expect(stageOfStack([frame('checkInvalidHeaderChar', 'node:_http_common')])).toBe('headers');
    expect(stageOfStack([frame('(garbage collector)')])).toBe('garbage collection');
    expect(
      stageOfStack([frame('processTicksAndRejections', 'node:internal/process/task_queues')]),
    ).toBe('Node core (sockets, timers, event loop)');
  });
});

describe('stageTimes', () => {
  it('counts the samples inside the window by stage and leaves idle ones out', () => {
    const profile = {
      nodes: [
        { id: 1, callFrame: frame('(root)'), children: [2, 3, 4] },
        { id: 2, callFrame: frame('(idle)') },
        { id: 3, callFrame: frame('inc', 'file:///r/node_modules/prom-client/lib/counter.js') },
        { id: 4, callFrame: frame('track', src('gateway/routes/chat-completions.js')) },
      ],
      startTime: 1_000,
      endTime: 2_000,
      // at 1100, 1200, 1300, 1400, 1500, 1900 µs
      samples: [3, 3, 2, 4, 4, 3],
      timeDeltas: [100, 100, 100, 100, 100, 400],
    };
    const path = join(directory, 'CPU.1.2.42.0.001.cpuprofile');
    writeFileSync(path, JSON.stringify(profile));
    const times = stageTimes(path, { fromUs: 1_150, toUs: 1_500 });
    expect(times.totalBusyUs).toBe(3);
    expect(times.idleUs).toBe(1);
    expect(times.busyUs.get('metrics')).toBe(1);
    expect(times.busyUs.get('tracking enqueue + journal')).toBe(2);
  });
});
