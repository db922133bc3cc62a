'use client';
// One metric per local hour: today's bars against yesterday's line, with
// axes, a readout for the hour under the pointer (or the keyboard's arrows),
// and the current hour drawn as partial (it is still filling up, so a short
// bar there is not a drop). A table carries the same numbers for screen readers.
import { useState, type KeyboardEvent } from 'react';
import { HOUR_MS, currentHour, type HourlySeries } from '@/lib/hourly';
import { clockTime } from '@/lib/zone-format';

const W = 640, H = 220, L = 34, R = 8, T = 14, B = 24;

/** 1, 2, 5 × 10^k at or above `max`, so the top gridline reads as a round number. */
function niceMax(max: number): number {
  if (max <= 4) return 4;
  const p = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 5, 10].map((m) => m * p).find((v) => v >= max) ?? 10 * p);
}

interface Props {
  series: HourlySeries;
  metric: 'calls' | 'events';
  title: string;
}

export function HourlyChart({ series, metric, title }: Props) {
  const today = series.today[metric];
  const yesterday = series.yesterday[metric];
  const hours = Math.max(today.length, yesterday.length, 1);
  const partial = currentHour(series);
  const [focus, setFocus] = useState<number | null>(null);
  const shown = focus ?? (partial >= 0 ? partial : hours - 1);
  const top = niceMax(Math.max(0, ...today, ...yesterday));
  const slot = (W - L - R) / hours;
  const x = (i: number) => L + i * slot;
  const y = (v: number) => T + (H - T - B) * (1 - v / top);
  const hourLabel = (i: number) => clockTime(series.today.fromMs + i * HOUR_MS, series.timeZone);
  const soFarToday = today.reduce((a, b) => a + b, 0);
  const soFarYesterday = partial >= 0 ? yesterday.slice(0, partial + 1).reduce((a, b) => a + b, 0) : yesterday.reduce((a, b) => a + b, 0);
  const line = yesterday.map((v, i) => `${(x(i) + slot / 2).toFixed(1)},${y(v).toFixed(1)}`).join(' ');
  const future = (i: number) => partial >= 0 && i > partial;
  const onKey = (e: KeyboardEvent) => {
    if (e.key !== 'ArrowLeft' && e.key !== 'ArrowRight') return;
    e.preventDefault();
    setFocus(Math.min(hours - 1, Math.max(0, shown + (e.key === 'ArrowRight' ? 1 : -1))));
  };
  const readout = `${hourLabel(shown)}–${hourLabel(shown + 1)}: today ${future(shown) ? '—' : today[shown] ?? 0}${shown === partial ? ' so far' : ''}, yesterday ${yesterday[shown] ?? 0}`;
  return (
    <figure className="chart" data-testid={`hourly-${metric}`}>
      <figcaption>
        <span className="chart-title">{title}</span>
        <span className="legend"><span className="key today" aria-hidden="true" />Today <span className="key yesterday" aria-hidden="true" />Yesterday</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" tabIndex={0} onKeyDown={onKey} onMouseLeave={() => setFocus(null)}
        aria-label={`${title}: ${soFarToday} today so far, ${soFarYesterday} yesterday by the same hour. Arrow keys read each hour.`}>
        <defs>
          <pattern id={`partial-${metric}`} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="3" height="6" fill="var(--accent)" opacity="0.55" />
          </pattern>
        </defs>
        {[0, top / 2, top].map((v) => (
          <g key={v} className="grid">
            <line x1={L} x2={W - R} y1={y(v)} y2={y(v)} />
            <text x={L - 6} y={y(v) + 4} textAnchor="end">{v}</text>
          </g>
        ))}
        {Array.from({ length: hours }, (_, i) => i).filter((i) => i % 3 === 0).map((i) => (
          <text key={i} className="axis" x={x(i) + slot / 2} y={H - 6} textAnchor="middle">{hourLabel(i).slice(0, 2)}</text>
        ))}
        {today.map((v, i) => future(i) ? null : (
          <rect key={i} className={i === partial ? 'bar partial' : 'bar'} data-hour={i} data-partial={i === partial || undefined}
            x={x(i) + 2} width={Math.max(1, slot - 4)} y={y(v)} height={Math.max(0, H - B - y(v))}
            fill={i === partial ? `url(#partial-${metric})` : undefined} />
        ))}
        {partial >= 0 ? <text className="axis partial-label" x={x(partial) + slot / 2} y={T - 3} textAnchor="middle">now</text> : null}
        <polyline className="yesterday" points={line} />
        {shown >= 0 ? <rect className="focus" x={x(shown)} width={slot} y={T} height={H - T - B} /> : null}
        {Array.from({ length: hours }, (_, i) => (
          <rect key={i} className="hit" x={x(i)} width={slot} y={0} height={H} onMouseEnter={() => setFocus(i)} />
        ))}
      </svg>
      <p className="readout" data-testid={`hourly-${metric}-readout`}>{readout}</p>
      <table className="sr-only">
        <caption>{title} by hour</caption>
        <thead><tr><th scope="col">Hour</th><th scope="col">Today</th><th scope="col">Yesterday</th></tr></thead>
        <tbody>
          {Array.from({ length: hours }, (_, i) => (
            <tr key={i}><th scope="row">{hourLabel(i)}</th><td>{future(i) ? '—' : today[i] ?? 0}{i === partial ? ' (so far)' : ''}</td><td>{yesterday[i] ?? 0}</td></tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
