export {
  type AnomalyDetector,
  type AnomalyDetectorConfig,
  type AnomalyReason,
  anomalyDetectorConfigSchema,
  createAnomalyDetector,
  describeAnomalyReason,
} from './anomaly/detector.js';
export {
  type AnomalyWatch,
  type AnomalyWatchOptions,
  anomalyWatchOptionsSchema,
  createAnomalyWatch,
  detectorWarmupMs,
  type GridSeries,
  scorePoints,
  type WatchAdvance,
  type WatchHit,
} from './anomaly/watch.js';
export {
  type Burst,
  type BurstOptions,
  type BurstPrediction,
  burstOptionsSchema,
  normalCdf,
  predictBursts,
} from './capacity/bursts.js';
export {
  type CapacityPlan,
  type CapacityPlanInput,
  type CapacityWindow,
  capacityPlanSchema,
  type LimitBreach,
  peakFactor,
  planCapacity,
} from './capacity/plan.js';
export {
  type CostAnomaly,
  type CostAnomalyOptions,
  type CostDriver,
  type CostRow,
  costAnomalyOptionsSchema,
  costRowSchema,
  detectCostAnomalies,
} from './cost/detect.js';
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
export {
  type AdviseOptions,
  adviseHpa,
  adviseOptionsSchema,
  type HpaAdvice,
  type HpaEvaluation,
  periodicSchedule,
  slotQuantiles,
} from './hpa/advise.js';
export {
  type HpaConfig,
  hpaConfigSchema,
  hpaDesiredReplicas,
  type SimulationOptions,
  type SimulationResult,
  simulateHpa,
  simulationOptionsSchema,
} from './hpa/simulate.js';
