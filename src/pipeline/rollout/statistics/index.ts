export {
  growthBookMixtureTime,
  oneSidedAnytimePValue,
  oneSidedMixtureBoundary,
  oneSidedMixtureLogStatistic,
  oneSidedMixtureTime,
  optimalOneSidedMixtureTime,
  twoSidedAnytimePValue,
  twoSidedMixtureBoundary,
} from './anytime-valid.ts';
export { chiSquareCdf, chiSquareSurvival } from './chi-square-distribution.ts';
export {
  benjaminiHochberg,
  holmBonferroni,
} from './multiple-comparisons.ts';
export {
  logNormalCdf,
  normalCdf,
  normalDensity,
  normalQuantile,
  normalSurvival,
} from './normal-distribution.ts';
export {
  type Interval,
  newcombeInterval,
  twoProportionZTest,
  wilsonInterval,
} from './proportion-tests.ts';
export {
  momentsFromSums,
  proportionMoments,
  relativeLift,
  relativeLiftStandardError,
  type SampleMoments,
} from './relative-lift.ts';
export { sampleRatioMismatch } from './sample-ratio-mismatch.ts';
export { sampleSizePerArm } from './sample-size.ts';
export {
  logGamma,
  regularizedBeta,
  regularizedGammaUpper,
} from './special-functions.ts';
export { studentTCdf, studentTQuantile } from './student-t-distribution.ts';
export { welchTTest } from './welch-t-test.ts';
