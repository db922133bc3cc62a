#!/usr/bin/env node
// `opsmantik-pulse range [today|yesterday|YYYY-MM-DD] [--tz ZONE] [--now ISO] [--days N]`
// Prints the dashboard's day (not UTC's) as JSON, so scripts agree with the UI.
import { dayRange, todayRange, yesterdayRange, spanRange, DEFAULT_TIME_ZONE } from './node.js';

const USAGE = 'usage: opsmantik-pulse range [today|yesterday|YYYY-MM-DD] [--tz ZONE] [--now ISO] [--days N]';

class UsageError extends Error {}

interface RangeArgs { day: string; tz: string; nowMs: number | undefined; days: number | undefined }

function parseArgs(argv: string[]): RangeArgs {
  const [command, ...rest] = argv;
  if (command !== 'range') throw new UsageError(command === undefined ? 'missing command' : `unknown command '${command}'`);
  const out: RangeArgs = { day: 'today', tz: DEFAULT_TIME_ZONE, nowMs: undefined, days: undefined };
  let positional = 0;
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i] as string;
    const value = (): string => {
      const v = rest[++i];
      if (v === undefined) throw new UsageError(`${arg} needs a value`);
      return v;
    };
    if (arg === '--tz') out.tz = value();
    else if (arg === '--now') {
      const text = value();
      const ms = Date.parse(text);
      if (!/^\d{4}-\d{2}-\d{2}T/.test(text) || Number.isNaN(ms)) throw new UsageError(`--now '${text}' is not an ISO date-time such as 2026-02-02T20:59:59Z`);
      out.nowMs = ms;
    } else if (arg === '--days') {
      const text = value();
      if (!/^[1-9]\d*$/.test(text)) throw new UsageError(`--days '${text}' is not a positive whole number`);
      out.days = Number(text);
    } else if (arg.startsWith('--')) throw new UsageError(`unknown option '${arg}'`);
    else if (positional++ === 0) out.day = arg;
    else throw new UsageError(`unexpected argument '${arg}'`);
  }
  return out;
}

function run(argv: string[]): unknown {
  const args = parseArgs(argv);
  // The CLI is the one place outside the driver that reads the clock: it runs once, never during render.
  const nowMs = args.nowMs ?? Date.now();
  const day =
    args.day === 'today' ? todayRange(nowMs, args.tz)
    : args.day === 'yesterday' ? yesterdayRange(nowMs, args.tz)
    : dayRange(args.day, args.tz);
  return args.days === undefined ? day : spanRange(day.dateKey, args.days, args.tz);
}

const argv = process.argv.slice(2);
if (argv.includes('--help') || argv.includes('-h')) {
  process.stdout.write(USAGE + '\n');
} else {
  try {
    process.stdout.write(JSON.stringify(run(argv), null, 2) + '\n');
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`opsmantik-pulse: ${message}${err instanceof UsageError ? `\n${USAGE}` : ''}\n`);
    process.exitCode = 2;
  }
}
