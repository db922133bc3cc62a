// The realtime connection in ops words. The engine's statuses (SUBSCRIBED,
// CHANNEL_ERROR, ...) are for devtools; an operator needs to know whether
// the numbers on screen are moving, and if not, how old they are.
export type ConnectionTone = 'live' | 'waiting' | 'down';

export interface ConnectionWords {
  text: string;
  tone: ConnectionTone;
}

/**
 * `status` is the hook's `connectionStatus`; `online` the page's network
 * flag; `dataTime` when the data on screen was fetched, already formatted
 * in the site's zone (`14:02`), or null when unknown.
 */
export function connectionWords(status: string, online: boolean, dataTime: string | null): ConnectionWords {
  const since = dataTime ? ` — showing data from ${dataTime}` : '';
  if (!online) return { text: `Offline${since}`, tone: 'down' };
  switch (status) {
    case 'SUBSCRIBED':
      return { text: 'Live', tone: 'live' };
    case 'INIT':
    case 'STARTING':
      return { text: 'Connecting…', tone: 'waiting' };
    case 'RECONNECTING':
    case 'CHANNEL_ERROR':
    case 'TIMED_OUT':
    case 'CLOSED':
      return { text: `Reconnecting…${since}`, tone: 'waiting' };
    default:
      return { text: `Connection lost${since}`, tone: 'down' };
  }
}
