// `lifeline/bolt`: run a Bolt app on Lifeline. The app imports `LifelineReceiver`; `npm start`
// (LIFELINE_BOT=<module>) hosts it in a process of its own and attaches it through
// `attachToParent`, imported from this very file (see runtime.ts for why it must be this file).
export { LifelineReceiver, type LifelineReceiverOptions } from './receiver';
export { attachToParent, type AttachOptions } from './ipc-runtime';
export { installLifelineRuntime, lifelineRuntime, resetLifelineRuntime, type BotAuthorization, type BotAuthorizationQuery, type LifelineRuntime, type PayloadHandler } from './runtime';
export { boltBody } from './bolt-body';
export { awsBotRuntime, awsBotRuntimeFrom, readBotLambdaConfig, type AwsBotRuntimeDeps, type BotLambdaConfig } from './aws-runtime';
export { sinkEventOf, type BotLambdaHandler } from './lambda-handler';
