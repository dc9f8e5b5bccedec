import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultCatalog, vendorBaseUrls } from './default-catalog.ts';
import type { Env } from './env.ts';
import {
  type GatewayConfig,
  type GatewayConfigInput,
  gatewayConfigSchema,
} from './schema/gateway-config.ts';

/** A configuration that cannot start the gateway; `issues` holds one line per problem, path first. */
export class ConfigError extends Error {
  readonly issues: readonly string[];

  constructor(issues: readonly string[]) {
    super(`invalid configuration:\n${issues.map((issue) => `  - ${issue}`).join('\n')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

export interface LoadConfigOptions {
  env: Env;
  /** The whole environment, for `${NAME}` references inside the config file. */
  rawEnv?: Readonly<Record<string, string | undefined>>;
  /** Use this object instead of reading a file (tests, embedding). */
  file?: unknown;
  cwd?: string;
}

type JsonObject = Record<string, unknown>;

export function loadConfig(options: LoadConfigOptions): GatewayConfig {
  const { env } = options;
  const rawEnv = options.rawEnv ?? {};
  const fileInput = options.file ?? readConfigFile(env, options.cwd ?? process.cwd());
  // Every problem is collected before giving up: missing `${NAME}` variables, then the schema's
  // errors (cross-field checks included) on the file as interpolated, each line with its path.
  const issues: Array<{ path: string; message: string }> = [];
  const interpolated = interpolate(fileInput ?? {}, rawEnv, '', issues);
  if (!isObject(interpolated)) {
    throw new ConfigError([
      ...issues.map(formatIssue),
      '(root): the config file must hold a JSON object',
    ]);
  }
  const merged = applyEnvironment(interpolated, env);
  const parsed = gatewayConfigSchema.safeParse(merged);
  if (!parsed.success) {
    // A value whose variable is missing was replaced by ''; the schema's complaint about that
    // '' would only repeat the missing variable.
    const missing = new Set(issues.map((issue) => issue.path));
    for (const issue of parsed.error.issues) {
      const path = formatPath(issue.path);
      if (!missing.has(path)) {
        issues.push({ path, message: issue.message });
      }
    }
  }
  if (issues.length > 0 || !parsed.success) {
    throw new ConfigError(issues.map(formatIssue));
  }
  return deepFreeze(withDefaultRoute(parsed.data));
}

function readConfigFile(env: Env, cwd: string): unknown {
  const explicit = env.REKINDLE_CONFIG;
  const path = resolve(cwd, explicit ?? 'rekindle.config.json');
  if (!explicit && !existsSync(path)) {
    return undefined;
  }
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`REKINDLE_CONFIG: cannot read ${path}: ${(error as Error).message}`]);
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new ConfigError([`${path}: not valid JSON: ${(error as Error).message}`]);
  }
}

const referencePattern = /\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/** Replaces `${NAME}` in every string with the environment's value; a missing name is an issue. */
function interpolate(
  value: unknown,
  rawEnv: Readonly<Record<string, string | undefined>>,
  path: string,
  issues: Array<{ path: string; message: string }>,
): unknown {
  if (typeof value === 'string') {
    return value.replace(referencePattern, (_match, name: string) => {
      const found = rawEnv[name];
      if (found === undefined) {
        issues.push({ path: path || '(root)', message: `environment variable ${name} is not set` });
        return '';
      }
      return found;
    });
  }
  if (Array.isArray(value)) {
    return value.map((item, index) => interpolate(item, rawEnv, `${path}[${index}]`, issues));
  }
  if (isObject(value)) {
    const out: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      out[key] = interpolate(item, rawEnv, path ? `${path}.${key}` : key, issues);
    }
    return out;
  }
  return value;
}

/**
 * Environment variables fill in what the file leaves out: vendor providers appear when their key is
 * set, and deployment settings (HOST, PORT, DATABASE_URL, secrets) override the file.
 */
function applyEnvironment(file: JsonObject, env: Env): GatewayConfigInput {
  const fileModels = Array.isArray(file.models) ? file.models : [];
  const overridden = new Set(fileModels.map((model) => asObject(model)?.name));
  const models = [...defaultCatalog.filter((model) => !overridden.has(model.name)), ...fileModels];
  return {
    ...file,
    server: serverFromEnvironment(asObject(file.server) ?? {}, env),
    providers: providersFromEnvironment(asObject(file.providers) ?? {}, env),
    models,
    store: storeFromEnvironment(asObject(file.store) ?? {}, env),
    webhooks: webhooksFromEnvironment(asObject(file.webhooks) ?? {}, env),
  } as GatewayConfigInput;
}

function serverFromEnvironment(file: JsonObject, env: Env): JsonObject {
  const server = { ...file };
  if (env.HOST) {
    server.host = env.HOST;
  }
  if (env.PORT) {
    server.port = Number(env.PORT);
  }
  if (env.REKINDLE_ADMIN_TOKEN) {
    server.admin_token = env.REKINDLE_ADMIN_TOKEN;
  }
  if (env.REKINDLE_METRICS_TOKEN) {
    server.metrics_token = env.REKINDLE_METRICS_TOKEN;
  }
  if (env.LOG_LEVEL) {
    server.log_level = env.LOG_LEVEL;
  }
  return server;
}

/** A vendor appears when its key is set; the sandbox is always there. */
function providersFromEnvironment(file: JsonObject, env: Env): JsonObject {
  const providers: JsonObject = { ...file };
  const vendorKeys = {
    openai: [env.OPENAI_API_KEY, env.OPENAI_BASE_URL],
    together: [env.TOGETHER_API_KEY, env.TOGETHER_BASE_URL],
    anthropic: [env.ANTHROPIC_API_KEY, env.ANTHROPIC_BASE_URL],
  } as const;
  for (const [id, [apiKey, baseUrl]] of Object.entries(vendorKeys)) {
    const fromFile = asObject(providers[id]);
    if (!apiKey && !fromFile) {
      continue;
    }
    const entry: JsonObject = { type: id, ...(fromFile ?? {}) };
    if (apiKey && entry.api_key === undefined) {
      entry.api_key = apiKey;
    }
    if (entry.base_url === undefined) {
      entry.base_url = baseUrl ?? vendorBaseUrls[id as keyof typeof vendorBaseUrls];
    }
    providers[id] = entry;
  }
  if (!providers.sandbox) {
    providers.sandbox = { type: 'sandbox' };
  }
  return providers;
}

function storeFromEnvironment(file: JsonObject, env: Env): JsonObject {
  const store = { ...file };
  if (env.REKINDLE_DATA_DIR) {
    store.data_dir = env.REKINDLE_DATA_DIR;
  }
  if (env.DATABASE_URL) {
    store.database_url = env.DATABASE_URL;
  }
  if (env.SUPABASE_URL) {
    store.supabase_url = env.SUPABASE_URL;
  }
  if (env.SUPABASE_SERVICE_ROLE_KEY) {
    store.supabase_service_role_key = env.SUPABASE_SERVICE_ROLE_KEY;
  }
  if (env.REDIS_URL) {
    store.redis_url = env.REDIS_URL;
  }
  const postgres = postgresFromEnvironment(asObject(store.postgres) ?? {}, env);
  if (postgres) {
    store.postgres = postgres;
  }
  return store;
}

function webhooksFromEnvironment(file: JsonObject, env: Env): JsonObject {
  const webhooks = { ...file };
  if (env.SENDGRID_WEBHOOK_PUBLIC_KEY) {
    webhooks.sendgrid_public_key = env.SENDGRID_WEBHOOK_PUBLIC_KEY;
  }
  if (env.CRM_WEBHOOK_SECRET) {
    webhooks.crm_secrets = env.CRM_WEBHOOK_SECRET.split(/\s+/).filter(Boolean);
  }
  if (env.HUBSPOT_CLIENT_SECRET) {
    webhooks.hubspot_client_secret = env.HUBSPOT_CLIENT_SECRET;
  }
  if (env.PIPEDRIVE_WEBHOOK_USER) {
    webhooks.pipedrive_user = env.PIPEDRIVE_WEBHOOK_USER;
  }
  if (env.PIPEDRIVE_WEBHOOK_PASSWORD) {
    webhooks.pipedrive_password = env.PIPEDRIVE_WEBHOOK_PASSWORD;
  }
  if (env.SALESFORCE_ORGANIZATION_ID) {
    webhooks.salesforce_organization_ids =
      env.SALESFORCE_ORGANIZATION_ID.split(/[\s,]+/).filter(Boolean);
  }
  return webhooks;
}

/** DATABASE_* connection settings override the file's `store.postgres`; numbers stay checked by the schema. */
function postgresFromEnvironment(file: JsonObject, env: Env): JsonObject | undefined {
  const fromEnv: JsonObject = {};
  const numbers = {
    pool_size: env.DATABASE_POOL_SIZE,
    statement_timeout_ms: env.DATABASE_STATEMENT_TIMEOUT_MS,
    idle_timeout_ms: env.DATABASE_IDLE_TIMEOUT_MS,
  };
  for (const [key, value] of Object.entries(numbers)) {
    if (value !== undefined) {
      fromEnv[key] = Number(value);
    }
  }
  if (env.DATABASE_APPLICATION_NAME) {
    fromEnv.application_name = env.DATABASE_APPLICATION_NAME;
  }
  if (env.DATABASE_LISTEN_URL) {
    fromEnv.listen_url = env.DATABASE_LISTEN_URL;
  }
  return Object.keys(fromEnv).length > 0 ? { ...file, ...fromEnv } : undefined;
}

/** Without a configured `outreach` route, it uses the first vendor with a key, else the sandbox. */
function withDefaultRoute(config: GatewayConfig): GatewayConfig {
  if (config.routes[config.default_route]) {
    return config;
  }
  const preference = [
    ['openai', 'gpt-4o-mini'],
    ['together', 'llama-3.1-70b-instruct-turbo'],
    ['anthropic', 'claude-3-5-haiku'],
  ] as const;
  const available = preference
    .filter(([provider]) => config.providers[provider]?.enabled)
    .map(([, model]) => model);
  const [primary = 'sandbox/outreach-v1', ...fallbacks] = available;
  const route = gatewayConfigSchema.shape.routes.unwrap().valueType.parse({
    models: [primary],
    fallbacks,
  });
  return { ...config, routes: { ...config.routes, [config.default_route]: route } };
}

/** `models[0].provider`, the way interpolation names paths too. */
function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    out += typeof part === 'number' ? `[${part}]` : `${out === '' ? '' : '.'}${String(part)}`;
  }
  return out || '(root)';
}

function formatIssue(issue: { path: string; message: string }): string {
  return `${issue.path}: ${issue.message}`;
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function asObject(value: unknown): JsonObject | undefined {
  return isObject(value) ? value : undefined;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const item of Object.values(value)) {
      deepFreeze(item);
    }
  }
  return value;
}
