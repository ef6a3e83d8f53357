/**
 * Remembers delivered Slack events for at least `ttlMs` (10 minutes by default: Slack's retries
 * come at +1 and +5 min), across workers. DynamoDB items with TTL on AWS and embedded.
 */
export interface EventDedupe {
  /** Claims an event id; false if it was claimed within the TTL (a duplicate). */
  claim(eventId: string, now: number): Promise<boolean>;
  /** Forgets a claim whose delivery failed, so the redelivery goes through. */
  release(eventId: string): Promise<void>;
}
