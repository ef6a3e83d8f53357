// `npm run simulator`: a standalone simulated Slack with one demo workspace and one Socket Mode app.
import { startSlackSimulator } from './index';

function portFromArgs(argv: string[]): number {
  const i = argv.indexOf('--port');
  const raw = i >= 0 ? argv[i + 1] : process.env.SLACK_SIM_PORT;
  const port = raw === undefined ? 0 : Number(raw);
  if (!Number.isInteger(port) || port < 0) throw new Error(`bad port: ${raw}`);
  return port;
}

async function main(): Promise<void> {
  const sim = await startSlackSimulator({ port: portFromArgs(process.argv.slice(2)), verbose: process.argv.includes('--verbose') });
  const app = sim.addApp({ name: 'demo-socket-mode-app' });
  const ws = sim.addWorkspace({ teamName: 'Demo Workspace' });
  const smWs = sim.addWorkspace({ teamId: ws.teamId, appId: app.appId });
  // Simulator tokens are fake and local: printing them is the point.
  const lines = [
    `Slack simulator listening on ${sim.url}`,
    `  Web API (slackApiUrl): ${sim.apiUrl}`,
    `  OAuth authorize:       ${sim.url}/oauth/v2/authorize`,
    `  Admin:                 ${sim.url}/_sim/ (POST JSON; GET /_sim/truth, /_sim/sockets)`,
    `Demo workspace ${ws.teamId} "${ws.teamName}"`,
    `  classic bot token (RTM):  ${ws.botToken}  bot user ${ws.botUserId}  app ${ws.appId}`,
    `Demo Socket Mode app ${app.appId}`,
    `  app token:      ${app.appToken}`,
    `  bot token:      ${smWs.botToken}  bot user ${smWs.botUserId}  #general ${smWs.generalChannelId}`,
    `  client id:      ${app.clientId}`,
    `  client secret:  ${app.clientSecret}`,
    `  signing secret: ${app.signingSecret}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = (): void => {
    void sim.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
