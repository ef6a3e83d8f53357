import type { Protocol } from './ground-truth';

/** Limits a one-shot fault to some connects; `count` defaults to 1, Infinity means until cleared. */
export interface FaultScope {
  count?: number;
  protocol?: Protocol;
  /** team id (RTM) or app id (Socket Mode) */
  key?: string;
}

interface Armed<T> extends Required<Pick<FaultScope, 'count'>> {
  protocol?: Protocol;
  key?: string;
  value: T;
}

export type HelloFault = { mode: 'withhold' } | { mode: 'delay'; delayMs: number };

/**
 * Faults that wait for the next connect to happen. Socket-level faults (kill, black-hole,
 * close with a code) act on live sockets at once and live in `fault-actions.ts`.
 */
export class FaultState {
  private upgrades: Armed<number>[] = [];
  private hellos: Armed<HelloFault>[] = [];

  /** The next matching WebSocket upgrades are answered with this HTTP status (Slack has shown 408). */
  refuseUpgrades(scope: FaultScope = {}, status = 408): void {
    this.upgrades.push(arm(scope, status));
  }

  withholdHello(scope: FaultScope = {}): void {
    this.hellos.push(arm<HelloFault>(scope, { mode: 'withhold' }));
  }

  delayHello(delayMs: number, scope: FaultScope = {}): void {
    this.hellos.push(arm<HelloFault>(scope, { mode: 'delay', delayMs }));
  }

  /** Consumes one refusal if one matches. */
  takeUpgradeRefusal(protocol: Protocol, key: string | undefined): number | undefined {
    return take(this.upgrades, protocol, key, (rest) => (this.upgrades = rest));
  }

  takeHelloFault(protocol: Protocol, key: string): HelloFault | undefined {
    return take(this.hellos, protocol, key, (rest) => (this.hellos = rest));
  }

  clear(): void {
    this.upgrades = [];
    this.hellos = [];
  }
}

function arm<T>(scope: FaultScope, value: T): Armed<T> {
  return { count: scope.count ?? 1, protocol: scope.protocol, key: scope.key, value };
}

function take<T>(list: Armed<T>[], protocol: Protocol, key: string | undefined, replace: (rest: Armed<T>[]) => void): T | undefined {
  const hit = list.find((f) => (!f.protocol || f.protocol === protocol) && (!f.key || f.key === key));
  if (!hit) return undefined;
  hit.count -= 1;
  if (hit.count <= 0) replace(list.filter((f) => f !== hit));
  return hit.value;
}
