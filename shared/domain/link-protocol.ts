/**
 * How a link reaches Slack. RTM: one socket per installation (`rtm:<app>:<team>`), a classic app.
 * Socket Mode: a per-app pool of sockets that carries every workspace (`sm:<app>:<slot>`). The one
 * name for it everywhere: link ids, installations, the Slack app's configuration, metrics.
 */
export type LinkProtocol = 'rtm' | 'socket';

export const LINK_PROTOCOLS: readonly LinkProtocol[] = ['rtm', 'socket'];
