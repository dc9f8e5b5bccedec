import { GatewayError } from '../errors/index.ts';
import type { ModelTarget } from './model-target.ts';
import type { RequestNeeds } from './request-needs.ts';

/** Why a target cannot serve a request: the client's param, and the error code that says so. */
export interface UnmetNeed {
  readonly param: string;
  readonly code: 'unsupported_for_provider' | 'context_length_exceeded';
  /** Ends a sentence starting with the model's name, e.g. `does not support \`logprobs\``. */
  readonly what: string;
}

/**
 * The first thing the request needs that the target's capability table does not cover, or
 * undefined when it can serve the request. The prompt size is an estimate (~4 characters per
 * token), so only a prompt whose estimate alone passes the context window counts as too long.
 */
export function unmetNeed(
  needs: RequestNeeds,
  promptTokens: number,
  target: ModelTarget,
): UnmetNeed | undefined {
  const able = target.capabilities;
  if (needs.tools && !able.tools) {
    return unsupported('tools', 'does not support `tools`');
  }
  if (needs.parallelToolCalls && !able.parallel_tool_calls) {
    return unsupported('parallel_tool_calls', 'does not support `parallel_tool_calls: true`');
  }
  if (needs.responseFormat !== null && able[needs.responseFormat] === 'unsupported') {
    return unsupported(
      'response_format',
      `does not support \`response_format\` of type \`${needs.responseFormat}\``,
    );
  }
  if (needs.logprobs !== null && !able.logprobs) {
    return unsupported(needs.logprobs, `does not support \`${needs.logprobs}\``);
  }
  if (needs.choices > 1 && !able.multiple_choices) {
    return unsupported('n', 'returns one choice per request (`n` must be 1)');
  }
  if (needs.imageParam !== null && !able.image_input) {
    return unsupported(needs.imageParam, 'does not accept image input');
  }
  const limit = able.max_output_tokens;
  if (needs.maxOutputTokens !== null && limit !== null && needs.maxOutputTokens.value > limit) {
    return unsupported(
      needs.maxOutputTokens.param,
      `writes at most ${limit} tokens (\`${needs.maxOutputTokens.param}\` is ${needs.maxOutputTokens.value})`,
    );
  }
  if (target.contextWindow !== null && promptTokens > target.contextWindow) {
    return {
      param: 'messages',
      code: 'context_length_exceeded',
      what: `has a context window of ${target.contextWindow} tokens and the prompt is about ${promptTokens}`,
    };
  }
  return undefined;
}

function unsupported(param: string, what: string): UnmetNeed {
  return { param, code: 'unsupported_for_provider', what };
}

/** A target left out because it cannot serve the request, and why. */
export interface Refusal {
  readonly target: ModelTarget;
  readonly need: UnmetNeed;
}

/** 400 naming the param and the model: the request asks for something its model cannot do. */
export class UnsupportedForProviderError extends GatewayError {
  constructor(refusal: Refusal, detail?: string) {
    const { target, need } = refusal;
    super(
      need.code,
      `The model \`${target.name}\` (provider \`${target.provider}\`) ${need.what}.${detail ? ` ${detail}` : ''}`,
      { param: need.param },
    );
    this.name = 'UnsupportedForProviderError';
  }
}

/** The refusal when the models that could serve the request all have their breaker open. */
export function refusedWhileCoolingDown(
  refusal: Refusal,
  coolingDown: readonly ModelTarget[],
  route: string,
): UnsupportedForProviderError {
  const names = coolingDown.map((target) => `\`${target.name}\``).join(', ');
  const plural = coolingDown.length > 1;
  return new UnsupportedForProviderError(
    refusal,
    `The model${plural ? 's' : ''} of route \`${route}\` that can serve it (${names}) ${plural ? 'are' : 'is'} unavailable right now (circuit breaker open).`,
  );
}
