// A bot for `npm start`: LIFELINE_HANDLER=docs/examples/print-events.mjs npm start
//
// Lifeline calls the default export (or an export named `handleEvents`) with every batch of
// events its workers received, already deduplicated. Each event:
//   { id, linkId, protocol: 'rtm' | 'socket', appId, teamId?, kind, payload, receivedAt }
// `kind` is `events_api`, `slash_commands`, `interactive`, or the RTM event type; `payload` is
// what Slack sent (the envelope's payload for Socket Mode, the bare event for RTM).
//
// Resolve to accept the batch. Throw (or take longer than LIFELINE_HANDLER_TIMEOUT_MS, 2,500 ms
// by default) to refuse it: Socket Mode envelopes then stay unacked and Slack redelivers them;
// RTM has no redelivery, so a refused RTM event is logged and counted in SinkFailures.
export default async function handleEvents(events) {
  for (const event of events) {
    const inner = event.kind === 'events_api' ? event.payload?.event : event.payload;
    const what = inner?.type ?? event.kind;
    const text = typeof inner?.text === 'string' ? `: ${inner.text.slice(0, 80)}` : '';
    console.log(`[bot] ${what} in ${event.teamId ?? event.appId} via ${event.protocol}${text}`);
  }
}
