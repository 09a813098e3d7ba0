export {
  type AnomalyDetector,
  type AnomalyDetectorConfig,
  anomalyDetectorConfigSchema,
  createAnomalyDetector,
} from './anomaly/detector.js';
export {
  acf,
  centredMovingAverage,
  multiplicativeSeasonalIndices,
  naive2,
  seasonalityTest,
  seasonalNaive,
} from './forecast/decompose.js';
export {
  cleanHistory,
  ForecastError,
  type ForecastOptions,
  type ForecastResult,
  forecast,
  forecastOptionsSchema,
} from './forecast/forecaster.js';
