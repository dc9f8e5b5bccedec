/**
 * The tests' Anthropic Messages fake: the Anthropic simulator of src/cli/simulators under the names
 * the tests use. `startAnthropicFake({ routes, apiKey })`, then `enqueue(script…)` /
 * `setDefault(script)`, `requests` / `messageRequests()` and `close()`.
 */
export {
  type AnthropicScript as AnthropicFakeScript,
  type AnthropicSimulator as AnthropicFake,
  type AnthropicSimulatorOptions as StartAnthropicFakeOptions,
  echoAnswerText as defaultAnthropicAnswerText,
  type RecordedRequest,
  startAnthropicSimulator as startAnthropicFake,
} from '../../src/cli/simulators/index.ts';
