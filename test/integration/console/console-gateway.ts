import type { RunningGateway } from '../../../src/main/index.ts';
import type { Store } from '../../../src/store/index.ts';
import { startTestGateway } from '../../helpers/test-gateway.ts';

export const adminToken = 'console-admin-token-for-tests';

/** Short outcome windows, so seeded messages older than a week have every window closed. */
const consoleGatewayFile = {
  routes: { outreach: { models: ['sandbox/outreach-v1'] } },
  rate_limit: { default_rpm: 1_000_000 },
  rollout: {
    reply_window_days: 2,
    meeting_window_days: 3,
    close_window_days: 5,
    evaluation_interval_ms: 0,
  },
};

export function startConsoleGateway(
  options: { store?: Store; env?: Record<string, string>; file?: Record<string, unknown> } = {},
): Promise<RunningGateway> {
  return startTestGateway({
    env: { REKINDLE_ADMIN_TOKEN: adminToken, ...options.env },
    file: { ...consoleGatewayFile, ...options.file },
    ...(options.store ? { store: options.store } : {}),
  });
}

/** A chat completion through the gateway's API; resolves to the version that answered. */
export async function chatVersion(
  baseUrl: string,
  apiKey: string,
  leadId: string,
): Promise<string> {
  const response = await fetch(`${baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${apiKey}`,
      'content-type': 'application/json',
      'x-rekindle-lead-id': leadId,
    },
    body: JSON.stringify({
      model: 'outreach',
      messages: [{ role: 'user', content: 'Write a short opener.' }],
    }),
  });
  if (response.status !== 200) {
    throw new Error(`chat answered ${response.status}: ${await response.text()}`);
  }
  await response.arrayBuffer();
  return response.headers.get('x-rekindle-model-version') ?? 'none';
}
