/**
 * The tests' OpenAI (and Together) chat fake: the chat simulator of src/cli/simulators under the
 * names the tests use. `startOpenAIFake({ style, routes, apiKey, models, usageOnLastContentChunk })`,
 * then `enqueue(script…)` / `setDefault(script)` (answers, error frames and every fault script),
 * `requests` / `chatRequests()` (what it received) and `close()`.
 */
export {
  echoAnswerText as defaultOpenAIAnswerText,
  type OpenAIChatScript as OpenAIFakeScript,
  type OpenAIChatSimulator as OpenAIFake,
  type OpenAIChatSimulatorOptions as StartOpenAIFakeOptions,
  type RecordedRequest,
  startOpenAIChatSimulator as startOpenAIFake,
} from '../../src/cli/simulators/index.ts';
