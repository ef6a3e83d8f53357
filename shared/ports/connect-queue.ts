/**
 * A command to open a link's socket. Sent when the machine asks for a connect (`requestConnect`)
 * by someone who does not hold the link (the restart workflow, the OAuth handler, a sweeper), or
 * to hand a link to a peer during a drain.
 */
export interface ConnectCommand {
  linkId: string;
  /** The link's epoch when the command was sent: a worker claims with it, so a stale command loses. */
  epoch: number;
  /** Step Functions task token, when a workflow waits for the outcome. */
  taskToken?: string;
  /**
   * A drain's hand-off: the receiver connects first and claims after `hello`, so the drainer's
   * socket stays up until the new one is open (make-before-break). Names the drainer.
   */
  handoffFrom?: string;
  /**
   * The worker meant to take the hand-off (rebalancing, or a drain spreading its links): any
   * other worker that receives it sends it on (`hops` + 1), so it reaches the target through
   * the one shared queue. Absent: any peer with room takes it.
   */
  handoffTo?: string;
  /** How many times the hand-off was sent on; bounded (see `routeHandoff`). */
  hops?: number;
  /** A drain's hand-off must land somewhere; a rebalancing one may simply not happen. */
  handoffKind?: 'drain' | 'rebalance';
  /**
   * A registration from nothing: the link may not exist yet. The claiming worker creates it,
   * already claimed, in one conditional write (no record is written before); a link that exists
   * makes this an ordinary command at `epoch` (0: it claims only a link nobody claimed yet).
   */
  register?: true;
}

export interface ReceivedCommand {
  command: ConnectCommand;
  /** Done: delete the message. Not calling it makes the command visible again after the timeout. */
  ack(): Promise<void>;
  /**
   * Still working on it: hide this delivery from every receiver for `ms` from now (SQS
   * `ChangeMessageVisibility`), so a command whose handling outlasts the visibility timeout is not
   * handed to a second worker meanwhile. A stale delivery (acked, or redelivered since) is left
   * alone, as SQS ignores an old receipt handle.
   */
  keepHidden(ms: number): Promise<void>;
}

/**
 * The workers' connect queue. SQS on AWS; an in-process queue with the same visibility-timeout
 * semantics embedded (and an IPC bridge for child-process workers).
 */
export interface ConnectQueue {
  send(command: ConnectCommand): Promise<void>;
  /** Waits up to `waitMs` for at most `max` commands. Each is invisible to others until acked or timed out. */
  receive(options: { max: number; waitMs: number; signal?: AbortSignal }): Promise<ReceivedCommand[]>;
}
