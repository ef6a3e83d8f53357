export { EmfMetrics, unitOf, type EmfMetricsOptions, type MetricUnit } from './emf-metrics';
