/** `lifeline --help`; also printed (to stderr) after a usage error. */
export const USAGE = `usage: lifeline <command> [options]

commands:
  status                           links per state, and the workers with their share of links
  links                            every link: state, time in state, attempt, owner, last error
  deactivate <team>                park a workspace's links (inactive, reason operator)
  deactivate --app <app>           park every link of an app (all its Socket Mode slots): the bot goes deaf everywhere
  reactivate <team> | --app <app>  bring parked links back

links filters (combine them):
  --state <state>    open, connecting, backoff, inactive or revoked
  --team <team>      one workspace's links
  --app <app>        one app's links
  --owner <worker>   the links a worker holds

where (default: the npm start in this directory):
  --url <url>              a running npm start (default http://localhost:$PORT, PORT default 3000)
  --data-dir <dir>         where that npm start keeps its operator token (default $LIFELINE_DATA_DIR or .lifeline)
  --stack <name>           a deployed orchestrator stack: the table, queue and workflows from its outputs
  --table <name>           a deployed stack's table by name (reactivate also needs LIFELINE_CONNECT_QUEUE_URL,
                           LIFELINE_RESTART_STATE_MACHINE_ARN and LIFELINE_REACTIVATION_STATE_MACHINE_ARN)
  --region <region>        with --stack or --table (default $AWS_REGION)

  --json                   machine-readable output
  -h, --help               this help
  -v, --version            Lifeline's version

exit status: 0 done, 1 failed (or nothing matched), 2 usage error`;

/** The command line itself is wrong: exit 2 and the usage on stderr, as Node tools do. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}
