/**
 * The peers run with their defaults, which include a console logger that reports every reconnect
 * we provoke, hundreds of lines a phase. Their options stay untouched; instead the bench drops
 * console lines that carry a @slack logger name, and counts them.
 */
export function quietSlackLoggers(): { dropped(): number; restore(): void } {
  const originals = { debug: console.debug, info: console.info, warn: console.warn, error: console.error, log: console.log };
  let dropped = 0;
  const filter = (original: (...args: unknown[]) => void) => (...args: unknown[]): void => {
    // ConsoleLogger calls console.<level>(label, name, ...msg) with names like "socket-mode:SocketModeClient:0".
    if (typeof args[1] === 'string' && /^(socket-mode|rtm-api|web-api)[:@]/.test(args[1])) {
      dropped += 1;
      return;
    }
    original(...args);
  };
  console.debug = filter(originals.debug);
  console.info = filter(originals.info);
  console.warn = filter(originals.warn);
  console.error = filter(originals.error);
  return {
    dropped: () => dropped,
    restore: () => Object.assign(console, originals),
  };
}
