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
  type AdjustedTest,
  benjaminiHochberg,
  holmBonferroni,
} from './multiple-comparisons.ts';
export {
  logNormalCdf,
  normalCdf,
  normalDensity,
  normalQuantile,
  normalSurvival,
  twoSidedCriticalValue,
} from './normal-distribution.ts';
export {
  type Interval,
  newcombeInterval,
  type TwoProportionTest,
  twoProportionZTest,
  wilsonInterval,
} from './proportion-tests.ts';
export {
  momentsFromSums,
  proportionMoments,
  type RelativeLift,
  relativeLift,
  relativeLiftStandardError,
  type SampleMoments,
} from './relative-lift.ts';
export { type SampleRatioMismatch, sampleRatioMismatch } from './sample-ratio-mismatch.ts';
export { type SampleSizeOptions, sampleSizePerArm } from './sample-size.ts';
export {
  logGamma,
  regularizedBeta,
  regularizedGammaLower,
  regularizedGammaUpper,
} from './special-functions.ts';
export { studentTCdf, studentTQuantile, studentTSurvival } from './student-t-distribution.ts';
export { type WelchTTest, welchTTest } from './welch-t-test.ts';
