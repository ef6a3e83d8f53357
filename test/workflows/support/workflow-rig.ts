import type { MemoryConnectQueue, MemoryCredentials, MemoryMetrics } from '../../../shared/adapters/memory';
import type { DynamoDbLinkStore } from '../../../shared/adapters/dynamodb';
import type { LocalStepFunctionsWorkflow } from '../../../shared/adapters/stepfunctions';
import { applyEvent } from '../../../shared/app';
import type { LinkEvent } from '../../../shared/domain';
import type { ConnectCommand, ConnectOutcome, LinkRecord } from '../../../shared/ports';
import type { SlackSimulator } from '../../../shared/slack-simulator';
import { World } from '../../worker/harness/world';

/** What the scripted worker does with one connect command. */
export type Answer =
  /** Claim, apply OPENED as the owner, report success: a worker that saw `hello`. */
  | 'open'
  /** Claim, then report this failure (and apply nothing, as a real worker does). */
  | ConnectOutcome
  /** Never answer: the task must time out. */
  | 'silent';

export const WORKER_ID = 'scripted-worker';
/** Fixed jitter, so the machine's delays are known: attempt n waits floor(0.5 · min(cap, 1 s · 2^(n-1))). */
export const RANDOM = 0.5;
/** Waits, timeouts and retry pauses at 1/50: a 120 s connect timeout is 2.4 s, a 4 s wait 80 ms. */
export const TIME_SCALE = 0.02;

/**
 * The restart and reactivation workflows as AWS runs them (the deployed definitions), run by the
 * embedded adapter with the real task handlers on dynalite (the tests' one `World`, without
 * workers), and a scripted worker on the queue that answers each connect command as the test
 * says (claiming the link as a real worker does).
 */
export class WorkflowRig {
  readonly commands: ConnectCommand[] = [];
  /** Answers for the next commands, in order; when empty, `open`. */
  readonly answers: Answer[] = [];
  private readonly abort = new AbortController();
  private loop: Promise<void> = Promise.resolve();

  private constructor(readonly world: World) {}

  static async start(): Promise<WorkflowRig> {
    const world = await World.start({
      random: () => RANDOM,
      visibilityTimeoutMs: 60_000,
      workflow: { timeScale: { waits: TIME_SCALE, timeouts: TIME_SCALE, retries: TIME_SCALE } },
    });
    const rig = new WorkflowRig(world);
    rig.loop = rig.serve();
    return rig;
  }

  get links(): DynamoDbLinkStore {
    return this.world.links;
  }

  get workflow(): LocalStepFunctionsWorkflow {
    return this.world.workflow;
  }

  get queue(): MemoryConnectQueue {
    return this.world.queue;
  }

  get sim(): SlackSimulator {
    return this.world.sim;
  }

  get credentials(): MemoryCredentials {
    return this.world.credentials;
  }

  get metrics(): MemoryMetrics {
    return this.world.metrics;
  }

  appDeps() {
    return { links: this.links, clock: Date, random: () => RANDOM };
  }

  async apply(linkId: string, event: LinkEvent, fence?: { owner: string; epoch: number }) {
    return applyEvent(this.appDeps(), linkId, event, fence ? { fence } : {});
  }

  async link(linkId: string): Promise<LinkRecord> {
    return this.world.link(linkId);
  }

  async stop(): Promise<void> {
    this.abort.abort();
    this.workflow.stop();
    await this.loop;
    await this.world.stop();
  }

  private async serve(): Promise<void> {
    while (!this.abort.signal.aborted) {
      const received = await this.queue.receive({ max: 10, waitMs: 200, signal: this.abort.signal });
      for (const { command, ack } of received) {
        this.commands.push(command);
        await ack();
        await this.answer(command, this.answers.shift() ?? 'open');
      }
    }
  }

  private async answer(command: ConnectCommand, answer: Answer): Promise<void> {
    if (answer === 'silent' || !command.taskToken) return;
    const claimed = await this.links.claim({ id: command.linkId, owner: WORKER_ID, expectedEpoch: command.epoch, now: Date.now() });
    if (answer === 'open') {
      await this.apply(command.linkId, { type: 'OPENED' }, { owner: WORKER_ID, epoch: claimed.epoch });
      await this.workflow.completeConnect(command.taskToken, { ok: true });
    } else {
      await this.workflow.completeConnect(command.taskToken, answer);
    }
  }
}

/** A link created and failed once, so it is in backoff with its first retry planned; returns that retry. */
export async function linkInBackoff(rig: WorkflowRig, linkId: string, error = 'internal_error') {
  await rig.apply(linkId, { type: 'CONNECT' });
  const failed = await rig.apply(linkId, { type: 'CONNECT_FAILED', error });
  const retry = failed.effects.find((effect) => effect.type === 'scheduleRetry');
  if (retry?.type !== 'scheduleRetry') throw new Error('no retry planned');
  return { linkId, epoch: failed.link.epoch, attempt: retry.params.attempt, delayMs: retry.params.delayMs, dueAt: retry.params.at };
}

export async function settled(rig: WorkflowRig, name: string) {
  await rig.workflow.idle();
  const record = rig.workflow.execution(name);
  if (!record) throw new Error(`no execution ${name}`);
  return record;
}
