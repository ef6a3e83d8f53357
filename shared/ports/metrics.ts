/**
 * Operational metrics. CloudWatch embedded metric format on stdout on AWS and embedded; the
 * dashboard and alarms read these names.
 */
export type MetricName =
  | 'LinksByState'
  | 'Reconnects'
  | 'TimeToReconnectMs'
  | 'TimeToDetectMs'
  | 'FatalErrors'
  | 'SinkFailures'
  | 'LiveWorkers'
  | 'UnknownSlackErrors';

export interface Metrics {
  /** One data point, with optional dimensions (`State`, `Code`, `Protocol`). */
  put(name: MetricName, value: number, dimensions?: Record<string, string>): void;
}
