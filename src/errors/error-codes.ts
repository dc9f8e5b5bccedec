/** The `type` of OpenAI's error envelope; the official SDKs and LangChain branch on it. */
export type OpenAIErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'rate_limit_error'
  | 'api_error'
  | 'timeout_error'
  | 'server_error';

export const openAIErrorTypes: ReadonlySet<string> = new Set<OpenAIErrorType>([
  'invalid_request_error',
  'authentication_error',
  'permission_error',
  'not_found_error',
  'rate_limit_error',
  'api_error',
  'timeout_error',
  'server_error',
]);

interface ErrorCodeEntry {
  readonly status: number;
  readonly type: OpenAIErrorType;
}

const invalid400 = { status: 400, type: 'invalid_request_error' } as const;
const invalid404 = { status: 404, type: 'invalid_request_error' } as const;
const conflict409 = { status: 409, type: 'invalid_request_error' } as const;
const signature401 = { status: 401, type: 'authentication_error' } as const;

/**
 * Every code the gateway raises itself, with the one status and type it is answered with: the one
 * code → status table. A code never changes status; a new failure gets a new code here. Errors relayed
 * from a vendor (ProviderError) keep the vendor's own status and code instead.
 */
export const errorCodeTable = {
  // 400: the request itself is wrong.
  invalid_json: invalid400,
  invalid_value: invalid400,
  unsupported_for_provider: invalid400,
  context_length_exceeded: invalid400,
  invalid_experiment_data: invalid400,
  invalid_hyperparameter: invalid400,
  fine_tuning_not_configured: invalid400,
  invalid_registry_change: invalid400,
  invalid_training_run: invalid400,
  invalid_webhook_payload: invalid400,
  invalid_soap_message: invalid400,
  organization_mismatch: invalid400,
  // `POST /admin/sql`: the statement was refused or failed (PostgreSQL's message).
  read_only_transaction: invalid400,
  sql_error: invalid400,
  sql_unavailable: invalid400,
  // 401: who is calling is not established.
  invalid_api_key: { status: 401, type: 'invalid_request_error' },
  invalid_signature: signature401,
  invalid_credentials: signature401,
  invalid_organization: signature401,
  webhook_not_configured: signature401,
  // 403
  admin_disabled: { status: 403, type: 'permission_error' },
  // 404: the thing named does not exist (for this caller).
  unknown_endpoint: invalid404,
  not_found: invalid404,
  model_not_found: invalid404,
  model_not_registered: invalid404,
  route_not_found: invalid404,
  training_run_not_found: invalid404,
  api_key_not_found: invalid404,
  outcome_not_found: invalid404,
  // 409: the state does not allow it.
  registry_conflict: conflict409,
  training_run_conflict: conflict409,
  training_run_finished: conflict409,
  // 413, 422, 429
  request_too_large: { status: 413, type: 'invalid_request_error' },
  insufficient_training_data: { status: 422, type: 'invalid_request_error' },
  rate_limit_exceeded: { status: 429, type: 'rate_limit_error' },
  // 500: our fault, not worth a retry.
  internal_error: { status: 500, type: 'server_error' },
  store_error: { status: 500, type: 'server_error' },
  fine_tuning_misconfigured: { status: 500, type: 'server_error' },
  // 503: try again shortly.
  store_unavailable: { status: 503, type: 'server_error' },
  store_locked: { status: 503, type: 'server_error' },
  no_model_available: { status: 503, type: 'server_error' },
} as const satisfies Record<string, ErrorCodeEntry>;

export type ErrorCode = keyof typeof errorCodeTable;
