import type { ClassifyReply } from '../pipeline/index.ts';
import type { ChatRequestBody } from '../providers/index.ts';
import type { ChatRouter } from '../router/index.ts';

/**
 * Reply classification through the gateway's own router: the configured route picks the model,
 * with the same fallbacks, breakers and metrics as client traffic.
 */
export function createRouterClassifier(router: ChatRouter, route: string): ClassifyReply {
  return async (messages, { signal }) => {
    const body = {
      model: route,
      messages,
      temperature: 0,
      response_format: { type: 'json_object' },
    } as unknown as ChatRequestBody;
    const plan = router.plan(route, {
      metadata: { purpose: 'sentiment' },
      promptTokens: 200,
      stream: false,
      hasTools: false,
      assignmentKey: 'sentiment',
    });
    const routed = await router.generate(plan, body, signal);
    return routed.result.text;
  };
}
