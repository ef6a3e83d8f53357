/** A DynamoDB wire attribute value, as dynalite's requests and responses carry it. */
export type WireValue =
  | { S: string }
  | { N: string }
  | { BOOL: boolean }
  | { NULL: true }
  | { M: Record<string, WireValue> }
  | { L: WireValue[] }
  | { SS: string[] }
  | { NS: string[] };

/**
 * Wire format to plain values, for the item images the write tap hands out. Only the types our
 * items use (no binary); numbers become JS numbers, as the document client reads them.
 */
export function fromWireValue(value: WireValue): unknown {
  if ('S' in value) return value.S;
  if ('N' in value) return Number(value.N);
  if ('BOOL' in value) return value.BOOL;
  if ('NULL' in value) return null;
  if ('M' in value) return fromWireItem(value.M);
  if ('L' in value) return value.L.map(fromWireValue);
  if ('SS' in value) return new Set(value.SS);
  return new Set(value.NS.map(Number));
}

export function fromWireItem(item: Record<string, WireValue>): Record<string, unknown> {
  const plain: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(item)) plain[name] = fromWireValue(value);
  return plain;
}
