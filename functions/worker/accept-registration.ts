import { createConnecting, createOpened, InvalidLinkIdError, parseLinkId, performEffects, type ApplyEventDeps, type EffectPerformer } from '../../shared/app';
import { LinkExistsError, type ConnectCommand, type LinkIdentity, type LinkRecord } from '../../shared/ports';
import type { WorkerDeps } from './deps';
import { LinkRunner, type RunnerHost } from './link-runner';

/** What taking a registration needs of the worker. */
export interface RegistrationTaker extends RunnerHost {
  readonly runners: Map<string, LinkRunner>;
  /** The worker's state (`Worker.state`) and whether it is fencing: only a running worker that is not takes a link. */
  readonly state: string;
  readonly isFencing: boolean;
  /** The store answers the worker's heartbeats (`Membership.storeAnswers`). */
  readonly storeAnswers: boolean;
  /** Links whose socket-first registration is in flight here: a redelivered copy opens no second socket. */
  readonly registrationsInFlight: Set<string>;
  /** The ports with the worker's machine policy (`Worker.stepDeps`). */
  readonly stepDeps: WorkerDeps & ApplyEventDeps;
  performerFor(runner: LinkRunner): EffectPerformer;
}

/**
 * A registration from nothing (`ConnectCommand.register`, no workflow waiting), socket first: the
 * runner opens the link's socket, then one conditional write creates the link already open and
 * ours (`LinkRunner.register`). What was: the link created `connecting` and ours, then OPENED
 * written after the hello, two writes per link; in a cold start of 5,000 links the OPENED writes
 * were half the store's calls, on a store that shares the machine's cores with the worker.
 *
 * Socket first only while the store answers: a create the store cannot write leaves the command
 * in the queue, and each copy it sends back would otherwise cost Slack a connect (Tier 1) and a
 * socket opened for nothing. With the store away, the registration goes the ordinary way, which
 * asks Slack nothing until its create is written.
 *
 * `fallback`: the store is away, the link exists (another writer created it first; our socket
 * closed) or its id is not one: the command goes the ordinary way (create `connecting`, or a
 * claim at epoch 0, which takes only a link nobody claimed yet). `held`: the link is ours, its
 * runner in `runners`, the command acked. `left`: the worker stopped or fenced meanwhile, or this
 * link's registration is already in flight here; nothing held and, if nothing was written, the
 * command returns to the queue. A store failure is thrown: the command stays in the queue.
 */
export async function acceptRegistration(worker: RegistrationTaker, command: ConnectCommand, ack: () => Promise<void>): Promise<'held' | 'fallback' | 'left'> {
  if (!worker.storeAnswers) return 'fallback';
  if (worker.registrationsInFlight.has(command.linkId)) return 'left';
  worker.registrationsInFlight.add(command.linkId);
  try {
    return await register(worker, command, ack);
  } finally {
    worker.registrationsInFlight.delete(command.linkId);
  }
}

async function register(worker: RegistrationTaker, command: ConnectCommand, ack: () => Promise<void>): Promise<'held' | 'fallback' | 'left'> {
  let identity: LinkIdentity;
  try {
    identity = parseLinkId(command.linkId);
  } catch (error) {
    if (error instanceof InvalidLinkIdError) return 'fallback';
    throw error;
  }
  const { deps } = worker;
  const runner = new LinkRunner(worker, identity, { owner: deps.workerId, epoch: 1 });
  let held: boolean;
  try {
    held = await runner.register((opened) => createClaimed(worker, runner, opened));
  } catch (error) {
    if (error instanceof LinkExistsError) return 'fallback';
    if (error instanceof WorkerLeavingError) return 'left';
    throw error;
  }
  if (!held) return 'left';
  // Written ours, but fenced or stopped since: hold nothing. Peers recover the link (OWNER_LOST).
  if (!isTaking(worker)) {
    await runner.stop('worker leaving');
    return 'left';
  }
  await worker.runners.get(identity.id)?.stop('superseded by a new claim');
  // Parked already by its connect failure (`register` applies it): nothing to hold.
  if (!runner.isStopped) worker.runners.set(identity.id, runner);
  await ack();
  return 'held';
}

/** The link created ours: open (OPENED's effects performed, as the worker performs any), or `connecting` after a failed connect. */
async function createClaimed(worker: RegistrationTaker, runner: LinkRunner, opened: boolean): Promise<LinkRecord> {
  // Stopped or fenced while the socket opened: write nothing, the command returns to the queue.
  if (!isTaking(worker)) throw new WorkerLeavingError();
  const { stepDeps } = worker;
  if (!opened) return (await createConnecting(stepDeps, runner.id, stepDeps.workerId)).link;
  const result = await createOpened(stepDeps, runner.id, stepDeps.workerId);
  await performEffects(stepDeps, worker.performerFor(runner), result.link, result.effects);
  return result.link;
}

class WorkerLeavingError extends Error {
  constructor() {
    super('the worker stopped taking links while the socket opened');
    this.name = new.target.name;
  }
}

const isTaking = (worker: RegistrationTaker): boolean => worker.state === 'running' && !worker.isFencing;
