export { EmfFleetMetrics, FLEET_METRICS, type EmfFleetMetricsOptions } from './emf-fleet-metrics';
