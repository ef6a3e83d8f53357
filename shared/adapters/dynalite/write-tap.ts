import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { fromWireItem, type WireValue } from './wire-item';

/** One successful item write: its operation and partition/sort keys. */
export interface ItemWrite {
  operation: 'PutItem' | 'UpdateItem' | 'DeleteItem';
  tableName: string;
  pk: string;
  sk: string;
  /**
   * The item as written, when the write says it: a PutItem's item, an UpdateItem's `ALL_NEW`
   * attributes. Listeners can use it instead of reading the item back. Plain values, not wire format.
   */
  item?: Record<string, unknown>;
}

export type WriteListener = (write: ItemWrite) => void;

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);

interface WireRequest {
  TableName?: string;
  Key?: Record<string, { S?: string }>;
  Item?: Record<string, WireValue>;
  ReturnValues?: string;
}

/**
 * Calls `answered` with the body dynalite answers with (it sends it in one `end`, the new image of
 * an update) when it answers: the write is applied by then, whether or not the client is still
 * there to read the answer. Waiting for the response's `finish` missed every write whose client
 * had given up (a store call timed out in a storm, and landed): `finish` never comes on a
 * destroyed socket, and the status board showed those links in their old state until its resync.
 */
function onAnswer(res: ServerResponse, answered: (body: string | undefined) => void): void {
  const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
  res.end = ((...args: unknown[]) => {
    res.end = end;
    const body = typeof args[0] === 'string' || Buffer.isBuffer(args[0]) ? args[0].toString() : undefined;
    const sent = end(...args);
    answered(body);
    return sent;
  }) as ServerResponse['end'];
}

function imageOf(operation: string, body: WireRequest, response: string | undefined): Record<string, unknown> | undefined {
  try {
    if (operation === 'PutItem' && body.Item) return fromWireItem(body.Item);
    if (operation === 'UpdateItem' && body.ReturnValues === 'ALL_NEW' && response) {
      const attributes = (JSON.parse(response) as { Attributes?: Record<string, WireValue> }).Attributes;
      return attributes && fromWireItem(attributes);
    }
  } catch {
    // an image we cannot read: listeners read the item back instead
  }
  return undefined;
}

/**
 * Listens beside dynalite's own request handler and reports each item write that succeeded, as
 * soon as dynalite answers it (also when the client has gone: the write happened).
 * This is what makes a change feed O(changes) instead of O(links) per poll: the status page
 * re-reads only the items that were written, as a DynamoDB Streams consumer would on AWS.
 */
export function tapWrites(server: Server): { onWrite(listener: WriteListener): () => void; readonly count: number } {
  const listeners = new Set<WriteListener>();
  let count = 0;
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    const operation = String(req.headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    if (!WRITES.has(operation)) return;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    onAnswer(res, (response) => {
      if (res.statusCode !== 200) return;
      count += 1;
      if (listeners.size === 0) return;
      let body: WireRequest;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString()) as WireRequest;
      } catch {
        return;
      }
      const key = (body.Key ?? body.Item ?? {}) as Record<string, { S?: string }>;
      const write: ItemWrite = {
        operation: operation as ItemWrite['operation'],
        tableName: body.TableName ?? '',
        pk: key.pk?.S ?? '',
        sk: key.sk?.S ?? '',
      };
      const item = imageOf(operation, body, response);
      if (item) write.item = item;
      for (const listener of listeners) listener(write);
    });
  });
  return {
    onWrite(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    get count() {
      return count;
    },
  };
}
