import { expect } from 'vitest';
import type { CoverageEntry, Sandbox } from './coverage-types.ts';
import type { ShellResult } from './shell-sandbox.ts';

/** The README's, deploy-supabase.md's, experiments.md's and training.md's commands. */

export const parseJson = (result: ShellResult): Record<string, unknown> => {
  expect(result.stdout.trim(), result.stderr).toMatch(/^\{[\s\S]*\}$/);
  return JSON.parse(result.stdout) as Record<string, unknown>;
};

export const succeeded = (result: ShellResult) => {
  expect(result.exitCode, `stdout:\n${result.stdout}\nstderr:\n${result.stderr}`).toBe(0);
};

/** A baseline and a 10 % variant on `outreach`, through the admin API, so `evaluate` has arms. */
export async function registerSandboxArms(sandbox: Sandbox, gatewayUrl: string): Promise<void> {
  const call = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${gatewayUrl}${path}`, {
      method,
      headers: { authorization: 'Bearer change-me', 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(response.status, `${method} ${path}: ${await response.clone().text()}`).toBeLessThan(
      300,
    );
  };
  const models = sandbox.values.armModels?.split(',') ?? [
    'sandbox/outreach-v1',
    'sandbox/outreach-v1',
  ];
  await call('POST', '/admin/models', {
    model_id: models[0],
    model_version: 'baseline-2026-11',
    route: 'outreach',
  });
  await call('PUT', '/admin/routes/outreach/baseline', { model_version: 'baseline-2026-11' });
  await call('POST', '/admin/models', {
    model_id: models[1],
    model_version: 'v0.9.0',
    route: 'outreach',
  });
  await call('POST', '/admin/models/v0.9.0/deploy', { traffic_percentage: 10 });
}

export const readmeCoverage: readonly CoverageEntry[] = [
  {
    doc: 'README.md',
    command: 'npm ci && npm start',
    how: [
      { kind: 'ci', contains: 'npm ci' },
      {
        kind: 'server',
        group: 'readme',
        part: 'npm start',
        readyUrl: (sandbox) => `${sandbox.values.gatewayUrl}/readyz`,
        async check(sandbox, server) {
          const health = await fetch(`${sandbox.values.gatewayUrl}/healthz`);
          expect(await health.json()).toEqual({ status: 'ok' });
          expect(server.output()).toMatch(/"store":"pglite"/);
          expect(server.output()).toMatch(/"providers":\["sandbox"\]/);
        },
      },
    ],
  },
  { doc: 'README.md', command: 'npm test', how: { kind: 'ci', contains: 'npm test' } },
  {
    doc: 'README.md',
    command: `curl -s http://127.0.0.1:8787/v1/chat/completions -H 'content-type: application/json' -H 'x-rekindle-lead-id: lead-42' -d '{"model":"outreach","messages":[{"role":"user","content":"Write a short cold email to Dana at Initech"}]}'`,
    how: {
      kind: 'run',
      group: 'readme',
      expect(result) {
        succeeded(result);
        const body = parseJson(result) as {
          object?: string;
          choices?: Array<{ message?: { content?: string } }>;
        };
        expect(body.object).toBe('chat.completion');
        expect(body.choices?.[0]?.message?.content ?? '').toMatch(/Dana|Initech/);
      },
    },
  },
  ...[
    'export OPENAI_API_KEY=sk-…',
    'export TOGETHER_API_KEY=…',
    'export ANTHROPIC_API_KEY=sk-ant-…',
    'npm start',
  ].map(
    (command): CoverageEntry => ({
      doc: 'README.md',
      command,
      how: {
        kind: 'not-runnable',
        reason: 'real vendor keys; nothing may call a vendor API from here',
        equivalent: {
          file: 'test/integration/gateway/providers-through-gateway.test.ts',
          contains: ['OPENAI_API_KEY', 'TOGETHER_API_KEY', 'ANTHROPIC_API_KEY', 'OPENAI_BASE_URL'],
        },
      },
    }),
  ),
  {
    doc: 'README.md',
    command: 'npx rekindle migrate',
    how: {
      kind: 'run',
      group: 'readme',
      // The embedded store has one owner: the README's gateway stops first.
      stopServersFirst: true,
      expect(result) {
        succeeded(result);
        // `npm start` migrated the embedded store already.
        expect(result.stdout).toMatch(/Database is up to date \(\d+ migrations applied earlier\)/);
      },
    },
  },
  {
    doc: 'README.md',
    command: 'npx rekindle keys create --org acme --rpm 100 --json',
    how: {
      kind: 'run',
      group: 'readme',
      expect(result) {
        succeeded(result);
        const created = parseJson(result);
        expect(created.key).toMatch(/^rk_[A-Za-z0-9_-]{32}$/);
        expect(created).toMatchObject({ organization_id: 'acme', rpm_limit: 100 });
      },
    },
  },
  {
    doc: 'README.md',
    command: 'npx rekindle keys list',
    how: {
      kind: 'run',
      group: 'readme',
      expect(result) {
        succeeded(result);
        expect(result.stdout).toMatch(/^PREFIX\s+ORGANIZATION\s+RPM\s+STATUS/m);
        expect(result.stdout).toMatch(/^rk_\S+\s+acme\s+100\s+active/m);
      },
    },
  },
];

const supabaseProjectUrl =
  'postgresql://postgres.YOUR-PROJECT-REF:YOUR-DB-PASSWORD@aws-0-YOUR-REGION.pooler.supabase.com:5432/postgres';

export const supabaseCoverage: readonly CoverageEntry[] = [
  {
    doc: 'docs/deploy-supabase.md',
    command: 'supabase link --project-ref YOUR-PROJECT-REF',
    how: {
      kind: 'not-runnable',
      reason:
        'the Supabase CLI is not installable here (its npm package downloads the binary from GitHub) and linking needs a real project and access token',
    },
  },
  {
    doc: 'docs/deploy-supabase.md',
    command: 'supabase db push',
    how: {
      kind: 'not-runnable',
      reason: 'the Supabase CLI is not installable here, and pushing needs a real project',
      // The same files, recorded in the same table as `supabase db push` records them.
      equivalent: {
        file: 'test/integration/store/migrations.test.ts',
        contains: ['schema_migrations'],
      },
    },
  },
  {
    doc: 'docs/deploy-supabase.md',
    command: `export DATABASE_URL='${supabaseProjectUrl}'`,
    how: { kind: 'setup' },
  },
  {
    doc: 'docs/deploy-supabase.md',
    command: 'npx rekindle migrate',
    how: {
      kind: 'run',
      group: 'supabase',
      replacements: [[supabaseProjectUrl, '${supabaseDatabaseUrl}']],
      expect(result) {
        succeeded(result);
        expect(result.stdout).toMatch(/^Applied \d+ migration\(s\) on postgres:/);
        expect(result.stdout).toMatch(/_supabase_compat/);
      },
    },
  },
  {
    doc: 'docs/deploy-supabase.md',
    command: 'pg_prove -d "$DATABASE_URL" supabase/tests/*.sql',
    how: {
      kind: 'run',
      group: 'supabase',
      replacements: [[supabaseProjectUrl, '${supabaseDatabaseUrl}']],
      expect(result) {
        succeeded(result);
        expect(result.stdout).toMatch(/rls_tenant_isolation\.test\.sql \.+ ok/);
        expect(result.stdout).toMatch(/All tests successful\.[\s\S]*Result: PASS/);
      },
    },
  },
  {
    doc: 'docs/deploy-supabase.md',
    command: 'npx rekindle keys create --org acme --json',
    how: {
      kind: 'run',
      group: 'supabase',
      replacements: [[supabaseProjectUrl, '${supabaseDatabaseUrl}']],
      expect(result) {
        succeeded(result);
        expect(parseJson(result)).toMatchObject({ organization_id: 'acme', rpm_limit: 100 });
      },
      capture: (result) => ({ REKINDLE_API_KEY: String(parseJson(result).key) }),
    },
  },
  {
    doc: 'docs/deploy-supabase.md',
    command: 'export SUPABASE_URL=https://YOUR-PROJECT-REF.supabase.co',
    how: { kind: 'setup' },
  },
  {
    doc: 'docs/deploy-supabase.md',
    command: "export SUPABASE_SERVICE_ROLE_KEY='YOUR-SERVICE-ROLE-KEY'",
    how: { kind: 'setup' },
  },
  {
    doc: 'docs/deploy-supabase.md',
    command: 'npm start',
    how: {
      kind: 'server',
      group: 'supabase',
      replacements: [
        ['https://YOUR-PROJECT-REF.supabase.co', '${postgrestUrl}'],
        ['YOUR-SERVICE-ROLE-KEY', '${serviceRoleKey}'],
      ],
      readyUrl: (sandbox) => `${sandbox.values.gatewayUrl}/readyz`,
      async check(sandbox, server) {
        expect(server.output()).toMatch(/"store":"supabase"/);
        // The key created over DATABASE_URL above, read through the rpc endpoint as service_role.
        const models = (authorization?: string) =>
          fetch(`${sandbox.values.gatewayUrl}/v1/models`, {
            headers: authorization ? { authorization } : {},
          });
        expect((await models()).status).toBe(401);
        expect((await models(`Bearer ${sandbox.env.REKINDLE_API_KEY}`)).status).toBe(200);
        const calls = (
          sandbox.extras.postgrestCalls as () => ReadonlyArray<{ fn: string; role: string }>
        )();
        expect(calls).toContainEqual({ fn: 'list_active_api_keys', role: 'service_role' });
        expect(calls.every((call) => call.role === 'service_role')).toBe(true);
      },
    },
  },
];
