/**
 * The simulated vendors — OpenAI and Together chat (OpenAI's wire), Anthropic Messages, and both
 * vendors' files and fine-tuning APIs — as real HTTP servers on 127.0.0.1. The demo runs against
 * them, and the tests (through test/fakes) script their faults and read back what they received.
 */
export type {
  AnthropicMessage,
  SimulatedAnthropicBlock,
  SimulatedAnthropicUsage,
} from './anthropic-message.ts';
export {
  type AnthropicScript,
  type AnthropicSimulator,
  type AnthropicSimulatorOptions,
  startAnthropicSimulator,
} from './anthropic-simulator.ts';
export { echoAnswerText } from './chat-text.ts';
export type { FaultScript, Scripted } from './fault-scripts.ts';
export {
  type FineTuningSimulatorOptions,
  type FineTuningVendor,
  type RunningFineTuningSimulator,
  startFineTuningSimulator,
} from './fine-tuning-simulator.ts';
export type {
  FineTuningClock,
  FineTuningOptions,
  FineTuningRequest,
  InjectedHttpError,
  JobControls,
} from './fine-tuning-support.ts';
export type { JobAdvance } from './job-progression.ts';
export type {
  SimulatedOpenAIUsage,
  SimulatedToolCall,
} from './openai-chat-answer.ts';
export {
  type OpenAIChatScript,
  type OpenAIChatSimulator,
  type OpenAIChatSimulatorOptions,
  startOpenAIChatSimulator,
} from './openai-chat-simulator.ts';
export type {
  OpenAIJobRecord,
  OpenAIJobStatus,
  ScriptedOpenAIFailure,
  SimulatedOpenAIEvent,
  SimulatedOpenAIFile,
  SimulatedOpenAIJob,
} from './openai-fine-tuning-jobs.ts';
export {
  createOpenAIFineTuningRoutes,
  type OpenAIFineTuningRoutes,
} from './openai-fine-tuning-routes.ts';
export {
  type SimulatedUpstream,
  type SimulatedUpstreamOptions,
  type SimulatedVendor,
  startSimulatedUpstream,
} from './simulated-upstream.ts';
export { sendJson } from './simulator-http.ts';
export type { RecordedRequest, SimulatorRoute } from './simulator-server.ts';
export type {
  ScriptedTogetherFailure,
  SimulatedTogetherEvent,
  SimulatedTogetherFile,
  SimulatedTogetherJob,
  TogetherJobRecord,
  TogetherJobStatus,
} from './together-fine-tuning-jobs.ts';
export {
  createTogetherFineTuningRoutes,
  type TogetherFineTuningRoutes,
} from './together-fine-tuning-routes.ts';
export {
  type FileValidation,
  validateOpenAIChatFile,
  validateTogetherFile,
} from './training-file-validation.ts';
