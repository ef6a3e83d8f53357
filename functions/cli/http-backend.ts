import { readFileSync, statSync } from 'node:fs';
import type { LinkRow, OperatorLifecycleResult } from '../../shared/app';
import type { Backend } from './backend';
import type { WorkerView } from './format';

/** The running instance's token, read from its data dir (`<LIFELINE_DATA_DIR>/operator-token`). */
export interface OperatorCredential {
  path: string;
}

/** A refusal the user can act on: the message says what to do, no stack trace needed. */
export class OperatorAccessError extends Error {
  override readonly name = 'OperatorAccessError';
}

function readToken(credential: OperatorCredential, baseUrl: string): { token: string; writtenAt: Date } {
  try {
    const token = readFileSync(credential.path, 'utf8').trim();
    if (token) return { token, writtenAt: statSync(credential.path).mtime };
  } catch {
    // said below
  }
  throw new OperatorAccessError(
    `no operator token at ${credential.path}: run this where \`npm start\` runs, with the same LIFELINE_DATA_DIR (and PORT), while it runs (it writes the token at start; Lifeline at ${baseUrl})`,
  );
}

/** `npm start`'s operator API, with this run's token from the data dir as a bearer token. */
export function httpBackend(baseUrl: string, credential: OperatorCredential): Backend {
  let token: { token: string; writtenAt: Date } | undefined;
  const call = async (path: string, method: 'GET' | 'POST' = 'GET'): Promise<unknown> => {
    token ??= readToken(credential, baseUrl);
    let res: Response;
    try {
      res = await fetch(`${baseUrl}${path}`, {
        method,
        headers: { authorization: `Bearer ${token.token}`, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
        ...(method === 'POST' ? { body: '{}' } : {}),
      });
    } catch (error) {
      throw new OperatorAccessError(`no Lifeline answers at ${baseUrl} (is \`npm start\` running? --url or PORT picks another)`, { cause: error });
    }
    if (res.status === 401) {
      throw new OperatorAccessError(
        `the Lifeline at ${baseUrl} refused the operator token in ${credential.path} (written ${token.writtenAt.toISOString()}): ` +
          'it is stale, from an earlier run, or that server runs with another data dir. Use the PORT and LIFELINE_DATA_DIR of the running `npm start`.',
      );
    }
    const body = (await res.json().catch(() => ({}))) as Record<string, unknown>;
    if (!res.ok && res.status !== 404) throw new OperatorAccessError(`${path}: HTTP ${res.status} ${typeof body.message === 'string' ? body.message : JSON.stringify(body)}`);
    return body;
  };
  return {
    describe: `embedded Lifeline at ${baseUrl}`,
    counts: async () => ((await call('/status.json')) as { links: Record<string, number> }).links,
    workers: async () => ((await call('/status.json')) as { workers: WorkerView[] }).workers,
    links: async () => ((await call('/api/links')) as { links: LinkRow[] }).links,
    setActive: async (target, active) => {
      const path = `/api/${target.kind === 'app' ? 'apps' : 'teams'}/${encodeURIComponent(target.id)}/${active ? 'reactivate' : 'deactivate'}`;
      return (await call(path, 'POST')) as OperatorLifecycleResult;
    },
  };
}
