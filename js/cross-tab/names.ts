// The names tabs meet under. The channel is shared by every version, so a
// message from another version arrives and is counted as dropped; the locks
// carry the protocol version, so tabs of another version elect their own
// leader and never wait on (or hand work to) one that speaks differently.
import { PROTOCOL, PROTOCOL_VERSION } from './protocol.js';

/** The scope of tabs that set none. */
export const DEFAULT_SCOPE = 'default';

/** `scope` separates groups of tabs on one origin (another user, another backend). */
export function channelName(scope: string): string {
  return `${PROTOCOL}/${scope}`;
}

export function leaderLockName(scope: string): string {
  return `${PROTOCOL}/v${PROTOCOL_VERSION}/${scope}/leader`;
}

/** Held by a tab for its whole life: when the leader is granted it, the tab is gone. */
export function tabLockName(scope: string, tabId: string): string {
  return `${PROTOCOL}/v${PROTOCOL_VERSION}/${scope}/tab/${tabId}`;
}
