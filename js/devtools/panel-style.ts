// The panel's styles, inside its shadow root: nothing leaks into the host
// app and the host's styles do not reach in (`:host { all: initial }`).
// Colours keep WCAG AA contrast on the panel's dark background.
export const PANEL_CSS = `
:host { all: initial; }
.root { --bg: #0b1020; --panel: #121933; --muted: #a3acd1; --text: #e8ecff; --accent: #5eead4; --warn: #fbbf24; --bad: #f87171;
  --good: #4ade80; --line: #2a3766; --focus: #fde047;
  box-sizing: border-box; color: var(--text); font: 13px/1.45 ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; overflow-wrap: anywhere; }
.root *, .root *::before, .root *::after { box-sizing: border-box; }
.root :focus-visible { outline: 3px solid var(--focus); outline-offset: 2px; border-radius: 4px; }
.floating .toggle { position: fixed; right: 12px; bottom: 12px; z-index: 2147483646; background: #1e2a5a; color: var(--text); border: 1px solid var(--accent);
  border-radius: 999px; padding: 8px 14px; font: inherit; font-weight: 600; cursor: pointer; box-shadow: 0 4px 16px rgb(0 0 0 / .4); }
.floating .sheet { position: fixed; left: 0; right: 0; bottom: 0; z-index: 2147483647; max-height: min(70vh, 640px); overflow: auto;
  background: var(--bg); border-top: 2px solid var(--accent); box-shadow: 0 -8px 24px rgb(0 0 0 / .45); padding: 10px 14px 16px; }
.floating .sheet[hidden] { display: none; }
.inline .sheet { background: var(--bg); border-radius: 12px; padding: 0; }
.head { display: flex; align-items: center; gap: 8px 14px; flex-wrap: wrap; margin-bottom: 10px; }
.head h2 { font-size: 14px; margin: 0; }
.zone { color: var(--muted); font-size: 12px; }
.head .close { margin-left: auto; }
h3 { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .6px; margin: 0 0 8px; font-weight: 600; }
h4 { font-size: 12px; color: var(--muted); margin: 12px 0 6px; font-weight: 600; }
section { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 10px 12px; margin-bottom: 10px; min-width: 0; }
.row { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin-bottom: 8px; }
.row:last-child { margin-bottom: 0; }
button { background: #1e2a5a; color: var(--text); border: 1px solid var(--line); border-radius: 8px; padding: 5px 10px; cursor: pointer; font: inherit; }
button[aria-pressed="true"] { background: #5b3a0a; border-color: var(--warn); }
.seg { display: inline-flex; flex-wrap: wrap; border: 1px solid var(--line); border-radius: 8px; padding: 2px; gap: 2px; }
.seg button { border: 0; background: transparent; color: var(--muted); }
.seg button[aria-pressed="true"] { background: #26357a; color: var(--text); }
label { color: var(--muted); font-size: 12px; display: inline-flex; gap: 6px; align-items: center; }
select { background: #0a0f22; color: var(--text); border: 1px solid var(--line); border-radius: 6px; padding: 4px; font: inherit; max-width: 14em; }
.muted { color: var(--muted); }
.note { color: var(--muted); font-size: 12px; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 8px; margin: 0 0 10px; }
.card { background: var(--panel); border: 1px solid var(--line); border-radius: 10px; padding: 8px 12px; min-width: 0; margin: 0; }
.card dt { color: var(--muted); font-size: 11px; text-transform: uppercase; letter-spacing: .6px; }
.card dd { margin: 0; }
.card .value { font-size: 17px; font-weight: 650; font-variant-numeric: tabular-nums; }
.card .hint { color: var(--muted); font-size: 12px; }
.lanes { display: grid; gap: 4px; }
.lane { display: grid; grid-template-columns: 150px minmax(0, 1fr); gap: 8px; align-items: center; min-height: 18px; }
.lane-label { font-size: 12px; color: var(--muted); white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.track { position: relative; height: 14px; background: #0a0f22; border-radius: 4px; overflow: hidden; }
.axis .track { background: transparent; height: 16px; overflow: visible; }
.tick { position: absolute; top: 0; transform: translateX(-50%); font-size: 11px; color: var(--muted); white-space: nowrap; }
.tick:first-child { transform: none; }
.tick:last-child { transform: translateX(-100%); }
.bar { position: absolute; top: 2px; bottom: 2px; border-radius: 3px; background: var(--accent); }
.bar.request.s-in_flight { background: #60a5fa; }
.bar.request.s-error, .bar.request.s-timeout { background: var(--bad); }
.bar.channel { background: var(--warn); opacity: .8; border-radius: 0; }
.bar.channel.s-SUBSCRIBED { background: var(--good); opacity: .6; }
.bar.page { border-radius: 0; opacity: .6; }
.bar.page.s-on { background: var(--good); }
.bar.page.s-off { background: var(--bad); }
.reqs { list-style: none; margin: 0; padding: 0; max-height: 280px; overflow: auto; font-size: 12px; }
.reqs li { display: grid; grid-template-columns: 7.5em 8em minmax(0, 1fr) 5em 5.5em; gap: 8px; padding: 3px 2px; border-bottom: 1px dashed var(--line); align-items: center; }
.mono { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 12px; }
.chip { justify-self: start; font-size: 12px; padding: 0 8px; border-radius: 999px; background: #1e2a5a; color: var(--muted); white-space: nowrap; }
.chip.ok { color: var(--good); }
.chip.error, .chip.timeout { color: var(--bad); }
.chip.in_flight { color: #93c5fd; }
.pairs { display: grid; grid-template-columns: repeat(auto-fill, minmax(140px, 1fr)); gap: 4px 14px; margin: 0; }
.pairs dt { color: var(--muted); font-size: 12px; }
.pairs dd { margin: 0; font-variant-numeric: tabular-nums; }
details summary { cursor: pointer; color: var(--muted); }
pre { background: #0a0f22; border: 1px solid var(--line); border-radius: 8px; padding: 8px; overflow: auto; font-size: 11px; max-height: 320px; margin: 6px 0 0; }
@media (max-width: 640px) {
  .lane { grid-template-columns: 1fr; gap: 2px; }
  .reqs li { grid-template-columns: auto 1fr; }
  .reqs li .why { grid-column: 1 / -1; }
  .tick:nth-child(even) { display: none; }
  .floating .sheet { max-height: 80vh; padding: 8px 8px 12px; }
}
`;
