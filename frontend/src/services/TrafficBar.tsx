import type { TrafficStatus } from '../api/types';
import { trafficSegments } from './trafficSegments';

const PALETTE_SIZE = 5;

/** The share of requests each revision gets; `compact` fits it in a list row. */
export function TrafficBar({ traffic, compact = false }: { traffic: readonly TrafficStatus[]; compact?: boolean }) {
  const { segments, markers } = trafficSegments(traffic);
  if (segments.length === 0 && markers.length === 0) {
    return <span className="muted">No traffic routed yet</span>;
  }
  // Widths are relative to 100 % unless a misreported status adds up to more.
  const scale = Math.max(100, segments.reduce((sum, segment) => sum + segment.percent, 0));

  return (
    <div className={compact ? 'traffic compact' : 'traffic'}>
      {segments.length > 0 && (
        <div className="traffic-bar" aria-hidden="true">
          {segments.map((segment, index) => (
            <span
              key={segment.key}
              className={`traffic-segment swatch-${index % PALETTE_SIZE}`}
              style={{ width: `${(segment.percent / scale) * 100}%` }}
              title={`${segment.label}: ${segment.percent}%`}
            />
          ))}
        </div>
      )}
      <ul className="traffic-legend">
        {segments.map((segment, index) => (
          <li key={segment.key}>
            <span className="traffic-share">
              <span className={`swatch swatch-${index % PALETTE_SIZE}`} aria-hidden="true" />
              <span className="revision-name">{segment.label}</span> <strong>{segment.percent}%</strong>
            </span>
            {segment.tags.map((tag) => (
              <span key={tag} className="tag">
                {tag}
              </span>
            ))}
          </li>
        ))}
        {markers.map((marker) => (
          <li key={`tag:${marker.tag}`} className="traffic-marker">
            <span className="tag">{marker.tag}</span>
            <span className="traffic-share">
              <span className="revision-name">{marker.label}</span> <strong>0%</strong>
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
