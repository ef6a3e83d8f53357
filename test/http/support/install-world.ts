import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { HttpSlackApi } from '../../../shared/adapters/slack';
import { reactivationExecutionName, type ExecutionRecord } from '../../../shared/adapters/stepfunctions';
import type { ReactivationInput } from '../../../shared/adapters/stepfunctions/contract';
import { rtmLinkId } from '../../../shared/app';
import type { InstallationRecord } from '../../../shared/ports';
import { installationKey } from '../../../shared/schema';
import type { AppHandle, SimulatorOptionsInput } from '../../../shared/slack-simulator';
import type { HttpDeps, SlackAppConfig } from '../../../functions/http/deps';
import { makeHandler } from '../../../functions/http/handler';
import { createHttpServer, EMBEDDED_ANSWER_WITHIN_MS } from '../../../functions/http/node-server';
import type { HttpHandler } from '../../../functions/http/types';
import { waitFor } from '../../support/wait-for';
import { registerSecrets } from '../../support/log-capture';
import { World } from '../../worker/harness/world';
import { Browser, type Visit } from './browser';

export interface InstallWorldOptions {
  tokenRotation?: boolean;
  /** Embedded style (the work gets 2 s before the answer) unless false (Lambda style, inline). */
  embeddedAnswer?: boolean;
  simulator?: SimulatorOptionsInput;
  /** A classic app (RTM-capable tokens); false: a granular app, whose bot tokens RTM refuses. Default true. */
  classic?: boolean;
  /** Try an RTM install's token with rtm.connect before storing it, as the shipped compositions do. Default false. */
  rtmCheck?: boolean;
  /** The workflow tasks' lifecycle notices reach the world's sink (`WorldOptions.taskSink`). */
  taskSink?: boolean;
}

/**
 * The tests' one Lifeline (`World`) behind its OAuth and Events endpoints, served by the shipped
 * `node:http` adapter: the simulator plays Slack (authorize page, oauth.v2.access, signed lifecycle
 * events to our `/slack/events`), installations hold sealed tokens, workers connect with them, and
 * a reinstall runs the shipped reactivation workflow (VerifyToken → ApplyRegistered → connect).
 * Every log line is kept, for the token scan.
 */
export class InstallWorld extends World {
  app!: AppHandle;
  config!: SlackAppConfig;
  deps!: HttpDeps;
  server!: Server;
  baseUrl!: string;

  private constructor(private readonly installOptions: InstallWorldOptions) {
    super({ captureLogs: true, ...(installOptions.simulator ? { simulator: installOptions.simulator } : {}), ...(installOptions.taskSink ? { taskSink: true } : {}) });
  }

  static override async start(options: InstallWorldOptions = {}): Promise<InstallWorld> {
    const world = new InstallWorld(options);
    await world.init();
    await world.serveEndpoints();
    return world;
  }

  private async serveEndpoints(): Promise<void> {
    // The handler is built on the first request: its config names the server's own URL.
    let handler: HttpHandler | undefined;
    this.server = createHttpServer((request) => (handler ??= makeHandler(this.deps))(request));
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    this.baseUrl = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    const classic = this.installOptions.classic ?? true;
    this.app = this.sim.addApp({ classic, socketMode: !classic, eventsUrl: `${this.baseUrl}/slack/events`, tokenRotation: this.installOptions.tokenRotation ?? false });
    this.apps.set(this.app.appId, { client: { clientId: this.app.clientId, clientSecret: this.app.clientSecret } });
    this.config = {
      appId: this.app.appId,
      protocol: 'rtm',
      clientId: this.app.clientId,
      clientSecret: this.app.clientSecret,
      signingSecret: this.app.signingSecret,
      scopes: ['bot'],
      userScopes: [],
      authorizeUrl: `${this.sim.url}/oauth/v2/authorize`,
      redirectUri: `${this.baseUrl}/slack/oauth_redirect`,
      stateSecret: randomBytes(32).toString('hex'),
    };
    registerSecrets(this.app.clientSecret, this.app.signingSecret, this.app.verificationToken, this.config.stateSecret);
    this.deps = {
      ...this.appDeps(),
      config: this.config,
      installations: this.installations,
      cipher: this.cipher,
      oauth: new HttpSlackApi({ apiUrl: this.sim.apiUrl }),
      ...(this.installOptions.rtmCheck ? { rtm: new HttpSlackApi({ apiUrl: this.sim.apiUrl }) } : {}),
      dedupe: this.dedupe,
      // As the shipped compositions do: HTTP deliveries go to the workers' sink.
      sink: this.sink,
      ...(this.installOptions.embeddedAnswer === false ? {} : { answerWithinMs: EMBEDDED_ANSWER_WITHIN_MS }),
    };
  }

  /** Reactivation executions started so far, as the requests that started them. */
  get reactivations(): ReactivationInput[] {
    return this.workflow.executions().filter((e) => e.workflow === 'reactivation').map((e) => e.input as ReactivationInput);
  }

  /** The reactivation execution of a link's token version, once it has finished (it fails the wait if it did not succeed). */
  async reactivationOf(linkId: string, tokenVersion: number): Promise<ExecutionRecord> {
    const name = reactivationExecutionName({ linkId, tokenVersion });
    let record: ExecutionRecord | undefined;
    const finished = () => {
      record = this.workflow.execution(name);
      return record !== undefined && record.status !== 'RUNNING';
    };
    await waitFor(finished, 10_000, () => `execution ${name}: ${record?.status ?? 'not started'}`);
    if (record?.status !== 'SUCCEEDED') throw new Error(`execution ${name} ended ${record?.status}: ${JSON.stringify(record?.error)}`);
    return record;
  }

  /** "Add to Slack" in a browser, for a given workspace (the `team` hint). */
  async install(teamId: string, browser = new Browser()): Promise<Visit> {
    const visit = await browser.visit(`${this.baseUrl}/slack/install?team=${teamId}`);
    // The code travelled through the URLs: the scan must never meet it in a log line.
    registerSecrets(...visit.hops.map((hop) => new URL(hop).searchParams.get('code') ?? undefined));
    return visit;
  }

  linkId(teamId: string): string {
    return rtmLinkId(this.app.appId, teamId);
  }

  installation(teamId: string): Promise<InstallationRecord | undefined> {
    return this.installations.get({ appId: this.app.appId, installId: teamId });
  }

  /** The item exactly as DynamoDB holds it. */
  async rawInstallationItem(teamId: string): Promise<string> {
    const key = installationKey(this.app.appId, teamId);
    const out = await this.client.send(new GetItemCommand({ TableName: this.tableName, Key: { pk: { S: key.pk }, sk: { S: key.sk } }, ConsistentRead: true }));
    return JSON.stringify(out.Item ?? null);
  }

  /** The bot token Slack considers live for the team (a re-install over a live token keeps it). */
  liveBotToken(teamId: string): string {
    return this.sim.install(this.app.appId, teamId).botToken;
  }

  override async stop(): Promise<void> {
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
    await super.stop();
  }
}

export { waitFor };
