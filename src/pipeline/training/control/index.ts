export {
  createLocalTrainingControl,
  type LocalTrainingControlOptions,
} from './local-training-control.ts';
export {
  createRemoteTrainingControl,
  GatewayRequestError,
  type RemoteTrainingControlOptions,
} from './remote-training-control.ts';
export type { ExportRequest, TrainingControl, WaitOptions } from './training-control.ts';
