import type { IncomingMessage, Server, ServerResponse } from 'node:http';

/** One successful item write: its operation and partition/sort keys. */
export interface ItemWrite {
  operation: 'PutItem' | 'UpdateItem' | 'DeleteItem';
  tableName: string;
  pk: string;
  sk: string;
}

export type WriteListener = (write: ItemWrite) => void;

const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem']);

interface WireRequest {
  TableName?: string;
  Key?: Record<string, { S?: string }>;
  Item?: Record<string, { S?: string }>;
}

/**
 * Listens beside dynalite's own request handler and reports each item write that succeeded.
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
    res.once('finish', () => {
      if (res.statusCode !== 200) return;
      count += 1;
      if (listeners.size === 0) return;
      let body: WireRequest;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString()) as WireRequest;
      } catch {
        return;
      }
      const key = body.Key ?? body.Item ?? {};
      const write: ItemWrite = {
        operation: operation as ItemWrite['operation'],
        tableName: body.TableName ?? '',
        pk: key.pk?.S ?? '',
        sk: key.sk?.S ?? '',
      };
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
