import type { PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';

// PutEvents limits: at most 10 entries and 256 KB per request, sized the way EventBridge sizes
// them (UTF-8 bytes of Source, DetailType, Detail and Resources, plus 14 bytes for Time).

export const maxEntriesPerRequest = 10;
export const maxRequestBytes = 256 * 1024;

export const entrySize = (entry: PutEventsRequestEntry): number => {
  let size = entry.Time ? 14 : 0;
  for (const text of [entry.Source, entry.DetailType, entry.Detail, ...(entry.Resources ?? [])]) {
    if (text !== undefined) size += Buffer.byteLength(text, 'utf8');
  }
  return size;
};

/** Splits entries, in order, into requests within both limits. Every entry must fit alone. */
export const toBatches = <T extends { entry: PutEventsRequestEntry }>(items: T[]): T[][] => {
  const batches: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const item of items) {
    const size = entrySize(item.entry);
    if (current.length === maxEntriesPerRequest || (current.length > 0 && bytes + size > maxRequestBytes)) {
      batches.push(current);
      current = [];
      bytes = 0;
    }
    current.push(item);
    bytes += size;
  }
  if (current.length > 0) batches.push(current);
  return batches;
};
