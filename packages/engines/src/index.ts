export {
  type AnomalyDetector,
  type AnomalyDetectorConfig,
  anomalyDetectorConfigSchema,
  createAnomalyDetector,
} from './anomaly/detector.js';
