// "Live" / "Reconnecting…" / "Offline — showing data from 14:02", announced
// politely when it changes. The engine's own status stays on the element as
// data-status for tests and devtools, not as text.
import { connectionWords } from '@/lib/connection-words';

interface Props {
  status: string;
  online: boolean;
  dataTime: string | null;
  lastActivity: string | null;
}

export function ConnectionStatus({ status, online, dataTime, lastActivity }: Props) {
  const words = connectionWords(status, online, dataTime);
  return (
    <p className="status" role="status" aria-live="polite" data-testid="connection" data-status={status} data-online={online}>
      <span className={`dot ${words.tone}`} aria-hidden="true" />
      <span>{words.text}</span>
      {lastActivity ? <span className="muted" data-testid="last-activity">· last activity {lastActivity.toLowerCase()}</span> : null}
    </p>
  );
}
