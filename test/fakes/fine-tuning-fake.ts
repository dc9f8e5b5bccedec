/**
 * The tests' fine-tuning fakes: the fine-tuning simulators of src/cli/simulators under the names
 * the tests use. `startFineTuningFake({ vendor, clock, advance, organization, apiKey, seed })` for
 * a standalone server, or `createOpenAIFineTuningRoutes()` / `createTogetherFineTuningRoutes()` to
 * mount on the chat fake; `routes` inspect (`files`, `jobs`, `requests`) and drive jobs
 * (`failNextJob`, `hold`, `holdNextJob`, `step`, `injectHttpError`). The validators are the one
 * JSONL check of fine-tuning files.
 */
export {
  createOpenAIFineTuningRoutes,
  createTogetherFineTuningRoutes,
  type FineTuningClock as FakeClock,
  type FineTuningSimulatorOptions as StartFineTuningFakeOptions,
  type JobAdvance as FakeAdvanceMode,
  type RunningFineTuningSimulator as RunningFineTuningFake,
  startFineTuningSimulator as startFineTuningFake,
  validateOpenAIChatFile,
  validateTogetherFile,
} from '../../src/cli/simulators/index.ts';
