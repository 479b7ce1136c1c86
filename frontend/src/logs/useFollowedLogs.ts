import { useEffect, useState } from 'react';
import { fetchTextResponse } from '../api/client';
import { logsPath, type LogSelection } from '../api/queries';
import { appendCapped, parseLogLine, type LogLine } from './logLines';

export interface FollowedLogs {
  lines: LogLine[];
  error: Error | null;
  /** The stream ended (the server's hour is up, or the connection dropped); following again reopens it. */
  ended: boolean;
}

/**
 * Streams a revision's logs (`follow=true`) while `enabled`, the last `selection.tail` lines first. The lines live here,
 * not in the query cache: they are a stream that grows, not a resource to refetch. Stops when disabled or unmounted.
 */
export function useFollowedLogs(namespace: string, service: string, revision: string, selection: LogSelection, enabled: boolean): FollowedLogs {
  const [state, setState] = useState<FollowedLogs>({ lines: [], error: null, ended: false });
  const { instance, previous, tail } = selection;

  useEffect(() => {
    if (!enabled) {
      return undefined;
    }
    const abort = new AbortController();
    setState({ lines: [], error: null, ended: false });
    void (async () => {
      try {
        const response = await fetchTextResponse(logsPath(namespace, service, revision, { instance, previous, tail }, true), {
          signal: abort.signal,
        });
        const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
        let pending = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) {
            break;
          }
          pending += value;
          const cut = pending.lastIndexOf('\n');
          if (cut < 0) {
            continue;
          }
          const complete = pending.slice(0, cut).split('\n');
          pending = pending.slice(cut + 1);
          const parsed = complete.flatMap((raw) => {
            const line = parseLogLine(raw);
            return line ? [line] : [];
          });
          if (parsed.length > 0) {
            setState((current) => ({ ...current, lines: appendCapped(current.lines, parsed) }));
          }
        }
        setState((current) => ({ ...current, ended: true }));
      } catch (error) {
        if (!abort.signal.aborted) {
          setState((current) => ({ ...current, error: error instanceof Error ? error : new Error(String(error)) }));
        }
      }
    })();
    return () => abort.abort();
  }, [namespace, service, revision, instance, previous, tail, enabled]);

  return state;
}
