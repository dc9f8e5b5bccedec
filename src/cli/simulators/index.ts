/**
 * The simulated vendors — OpenAI and Together chat (OpenAI's wire), Anthropic Messages, and both
 * vendors' files and fine-tuning APIs — as real HTTP servers on 127.0.0.1. The demo runs against
 * them, and the tests (through test/fakes) script their faults and read back what they received.
 */

export {
  type AnthropicScript,
  type AnthropicSimulator,
  type AnthropicSimulatorOptions,
  startAnthropicSimulator,
} from './anthropic-simulator.ts';
export { echoAnswerText } from './chat-text.ts';

export {
  type FineTuningSimulatorOptions,
  type RunningFineTuningSimulator,
  startFineTuningSimulator,
} from './fine-tuning-simulator.ts';
export type { FineTuningClock } from './fine-tuning-support.ts';
export type { JobAdvance } from './job-progression.ts';

export {
  type OpenAIChatScript,
  type OpenAIChatSimulator,
  type OpenAIChatSimulatorOptions,
  startOpenAIChatSimulator,
} from './openai-chat-simulator.ts';

export { createOpenAIFineTuningRoutes } from './openai-fine-tuning-routes.ts';
export {
  type SimulatedUpstream,
  startSimulatedUpstream,
} from './simulated-upstream.ts';
export { sendJson } from './simulator-http.ts';
export type { RecordedRequest } from './simulator-server.ts';

export { createTogetherFineTuningRoutes } from './together-fine-tuning-routes.ts';
export {
  validateOpenAIChatFile,
  validateTogetherFile,
} from './training-file-validation.ts';
