import type { CoverageEntry } from './coverage-types.ts';

/**
 * The README's key revocation. It needs a key's real prefix, so the tests that create one run it:
 * through a running gateway found in its data directory (the newcomer's flow, real processes), and
 * through REKINDLE_GATEWAY_URL with an admin token. The README's create and list lines run in the
 * readme sandbox (readme-and-supabase-coverage.ts).
 */
export const keysCoverage: readonly CoverageEntry[] = [
  {
    doc: 'README.md',
    command: 'npx rekindle keys revoke rk_AbCd1234',
    how: [
      {
        kind: 'test',
        file: 'test/integration/store/keys-local-gateway.test.ts',
        contains: ["cli(['keys', 'revoke', String(created.prefix), '--json'])", "'SIGTERM'"],
      },
      {
        kind: 'test',
        file: 'test/integration/store/keys-admin-api.test.ts',
        contains: ["[cliEntry, 'keys', 'revoke', created.id, '--json']"],
      },
    ],
  },
];
