/** What a wait names when it times out: a fixed label, or a description built at that moment. */
export type Described = string | (() => string);

/**
 * The tests' one wait: polls `probe` every 10 ms until it returns something (not `undefined`,
 * `false` or `null`) and resolves with it; after `timeoutMs` fails naming what it waited for.
 * A probe may be async (a store read).
 */
export async function eventually<T>(
  probe: () => T | undefined | false | null | Promise<T | undefined | false | null>,
  timeoutMs: number,
  what: Described = 'condition',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false && value !== null) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms: ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** `eventually` for a yes/no condition. */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs: number, what: Described = 'condition'): Promise<void> {
  await eventually(async () => (await check()) || undefined, timeoutMs, what);
}
