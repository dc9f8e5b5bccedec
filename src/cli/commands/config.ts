import { writeFileSync } from 'node:fs';
import { renderConfigReference } from '../../config/index.ts';
import type { CliCommand } from '../cli-command.ts';
import { renderProviderFeatures } from '../provider-features.ts';

const secretKey = /(api_key|token|secret|password|service_role_key)$/i;

/** A copy of the config safe to print: secrets and URL passwords masked. */
export function redactConfig(value: unknown, key = ''): unknown {
  if (typeof value === 'string') {
    if (secretKey.test(key)) {
      return value ? '***' : value;
    }
    return value.replace(/(\/\/[^:/@]+:)[^@/]+@/, '$1***@');
  }
  if (Array.isArray(value)) {
    return value.map((item) => (key === 'crm_secrets' ? '***' : redactConfig(item)));
  }
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value).map(([name, item]) => [name, redactConfig(item, name)]),
    );
  }
  return value;
}

const checkCommand: CliCommand = {
  name: 'config check',
  summary: 'Validate the configuration (file + environment) and print it with secrets redacted',
  usage: 'config check [--json]',
  options: {},
  async run(context) {
    const config = context.config();
    const enabled = Object.entries(config.providers)
      .filter(([, provider]) => provider.enabled)
      .map(([id]) => id);
    const routes = Object.entries(config.routes).map(
      ([name, route]) =>
        `  ${name}: ${route.models.join(', ')}${route.fallbacks.length ? ` (fallbacks: ${route.fallbacks.join(', ')})` : ''}`,
    );
    return {
      json: { valid: true, config: redactConfig(config) as Record<string, unknown> },
      text: [
        'configuration is valid',
        `listen: ${config.server.host}:${config.server.port}`,
        `providers: ${enabled.join(', ')}`,
        'routes:',
        ...routes,
        `store: ${config.store.supabase_url ? 'supabase' : config.store.database_url ? 'postgres' : `pglite (${config.store.data_dir})`}`,
      ].join('\n'),
    };
  },
};

const docsCommand: CliCommand = {
  name: 'config docs',
  summary: 'Print the configuration reference generated from the schema (docs/configuration.md)',
  usage: 'config docs [--output FILE] [--json]',
  options: { output: { type: 'string' } },
  async run(_context, args) {
    const markdown = renderConfigReference();
    const output = args.values.output;
    if (typeof output === 'string') {
      writeFileSync(output, markdown);
      return { json: { output, bytes: Buffer.byteLength(markdown) }, text: `wrote ${output}` };
    }
    return { json: { markdown }, text: markdown };
  },
};

const featuresCommand: CliCommand = {
  name: 'config features',
  summary:
    'Print the provider × feature matrix generated from the capability table (docs/provider-features.md)',
  usage: 'config features [--output FILE] [--json]',
  options: { output: { type: 'string' } },
  async run(_context, args) {
    const markdown = renderProviderFeatures();
    const output = args.values.output;
    if (typeof output === 'string') {
      writeFileSync(output, markdown);
      return { json: { output, bytes: Buffer.byteLength(markdown) }, text: `wrote ${output}` };
    }
    return { json: { markdown }, text: markdown };
  },
};

export const configCommands: readonly CliCommand[] = [checkCommand, docsCommand, featuresCommand];
