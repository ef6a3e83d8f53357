// A whole Bolt app on Lifeline: `LIFELINE_BOT=examples/bolt-app/app.mjs npm start`.
// Lifeline holds the sockets, hands every payload to this app, puts what a listener passes to
// ack() into the Socket Mode ack, and gives `authorize` the current bot token of each workspace.
import { App, LogLevel } from '@slack/bolt';
import { LifelineReceiver } from 'lifeline/bolt';

const receiver = new LifelineReceiver();
const app = new App({ receiver, authorize: receiver.authorize, clientOptions: receiver.clientOptions, logLevel: LogLevel.WARN });

// Answered in the ack itself: Slack shows `pong` to the user who typed /ping.
app.command('/ping', async ({ ack }) => ack({ text: 'pong' }));

// A modal, opened with the command's trigger_id.
app.command('/feedback', async ({ ack, body, client }) => {
  await ack();
  await client.views.open({
    trigger_id: body.trigger_id,
    view: {
      type: 'modal',
      callback_id: 'feedback',
      title: { type: 'plain_text', text: 'Feedback' },
      submit: { type: 'plain_text', text: 'Send' },
      blocks: [{ type: 'input', block_id: 'feedback_block', label: { type: 'plain_text', text: 'Your feedback' }, element: { type: 'plain_text_input', action_id: 'text' } }],
    },
  });
});

// Its submission is refused in the ack: Slack shows the error under the field, the modal stays.
app.view('feedback', async ({ ack, view }) => {
  const text = view.state?.values?.feedback_block?.text?.value ?? '';
  if (text.trim().length < 10) {
    await ack({ response_action: 'errors', errors: { feedback_block: 'Please write at least 10 characters.' } });
    return;
  }
  await ack();
});

// A message containing "hello" gets a reply in its channel, made with this workspace's token.
app.message('hello', async ({ message, say }) => {
  await say(`hi <@${message.user}>`);
});

// The App Home tab: a view published for whoever opens it.
app.event('app_home_opened', async ({ event, client }) => {
  await client.views.publish({
    user_id: event.user,
    view: { type: 'home', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: '*Welcome home.* This app runs on Lifeline.' } }] },
  });
});

export default app;
