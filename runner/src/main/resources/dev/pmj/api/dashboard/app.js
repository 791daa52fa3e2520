// The dashboard: the processes of one pmj, live from /api/events, with their buttons; logs.

import { call, reachable } from "./api.js";
import { sparkline, draw } from "./spark.js";
import { LogView } from "./logs.js";
import { TerminalView } from "./terminal.js";
import { scaleControl } from "./scale.js";

const POINTS = 90; // 3 minutes of samples, one every 2 s
const $ = (id) => document.getElementById(id);
const processes = new Map(); // id -> the API's process object
const rows = new Map(); // id -> { tr, cells… }
const history = new Map(); // id -> { cpu: [], mem: [] }
let events = null;
let failures = 0;
let gone = false;
let started = false;
let stateEvents = 0; // state events applied so far (see reload)
const logs = new LogView($("log"), $("log-info"), (id) => processes.get(id)?.color);
const terminal = new TerminalView($("terminal"), $("terminal-info"), $("terminal-logs"));

// ---- numbers as people read them ----

function duration(seconds) {
  const s = Math.max(0, Math.floor(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${s % 60}s`;
  if (s < 86400) return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
  return `${Math.floor(s / 86400)}d${Math.floor((s % 86400) / 3600)}h`;
}

function bytes(n) {
  if (!n || n < 0) return "–";
  if (n >= 1 << 30) return `${(n / (1 << 30)).toFixed(1)} GB`;
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(1)} MB`;
  return `${Math.round(n / 1024)} KB`;
}

// As pmj ps and the API spell it: "exit 3", "SIGTERM".
function lastExit(p) {
  return p.lastExit || "–";
}

function running(p) {
  return p.state === "running" || p.state === "ready" || p.state === "stopping" || p.state === "starting";
}

// ---- messages ----

function toast(text, error) {
  const div = document.createElement("div");
  div.className = "toast" + (error ? " error" : "");
  div.textContent = text;
  $("toasts").append(div);
  setTimeout(() => div.remove(), error ? 8000 : 3000);
}

function notice(line) {
  const li = document.createElement("li");
  li.textContent = line;
  const list = $("notices");
  list.prepend(li);
  while (list.childElementCount > 6) list.lastElementChild.remove();
}

async function act(button, method, path, what) {
  button.disabled = true;
  try {
    await call(method, path);
  } catch (e) {
    toast(`${what} failed: ${e.message}`, true);
  } finally {
    button.disabled = false;
  }
}

function confirmThen(text, action) {
  const dialog = $("confirm");
  $("confirm-text").textContent = text;
  dialog.returnValue = "";
  dialog.onclose = () => {
    if (dialog.returnValue === "ok") action();
  };
  dialog.showModal();
  $("confirm-ok").focus();
}

// ---- the table ----

function button(label, id, action) {
  const b = document.createElement("button");
  b.type = "button";
  b.textContent = label;
  b.setAttribute("aria-label", `${label} ${id}`);
  b.dataset.action = action;
  b.addEventListener("click", () =>
    act(b, "POST", `/api/processes/${encodeURIComponent(id)}/${action}`, `${label} ${id}`),
  );
  return b;
}

function newRow(p) {
  const tr = document.createElement("tr");
  tr.dataset.id = p.id;
  const cell = (cls) => {
    const td = document.createElement("td");
    if (cls) td.className = cls;
    tr.append(td);
    return td;
  };
  const id = cell("id");
  const link = document.createElement("a");
  link.href = `#/logs/${encodeURIComponent(p.id)}`;
  link.textContent = p.id;
  link.className = `c-${p.color || "white"}`;
  link.title = `Logs of ${p.id}`;
  id.append(link);
  const term = document.createElement("a");
  term.className = "tag";
  term.textContent = "terminal";
  term.href = `#/terminal/${encodeURIComponent(p.id)}`;
  term.setAttribute("aria-label", `Terminal of ${p.id}`);
  id.append(term);
  if (p.adHoc) {
    const tag = document.createElement("span");
    tag.className = "tag";
    tag.textContent = "added";
    tag.title = "added at run time, not in the file";
    id.append(tag);
  }
  const state = cell("state-cell");
  const pid = cell("num pid opt");
  const uptime = cell("num uptime opt");
  const restarts = cell("num restarts opt");
  const exit = cell("exit opt");
  const cpu = cell("cpu");
  const mem = cell("mem");
  const ready = cell("ready opt");
  const dev = cell("dev opt");
  const buttons = cell("buttons");
  const metric = (td, label) => {
    const div = document.createElement("div");
    div.className = "metric";
    const value = document.createElement("span");
    const chart = sparkline(`${label} of ${p.id} over the last minutes`);
    div.append(value, chart);
    td.append(div);
    return { value, chart };
  };
  const row = {
    tr, term, state, pid, uptime, restarts, exit, ready, dev,
    cpu: metric(cpu, "CPU"), mem: metric(mem, "Memory"),
    start: button("Start", p.id, "start"),
    stop: button("Stop", p.id, "stop"),
    restart: button("Restart", p.id, "restart"),
  };
  buttons.append(row.start, row.stop, row.restart);
  const scale = scaleControl(p, processes, (error) => toast(error, true));
  if (scale) buttons.append(scale);
  return row;
}

function fill(row, p) {
  row.term.hidden = !p.interactive;
  row.state.replaceChildren();
  const s = document.createElement("span");
  s.className = `state state-${p.state}`;
  s.textContent = p.state;
  if (p.message) s.title = p.message;
  row.state.append(s);
  if (p.reason) {
    // Why it is failed or waiting to restart, as pmj ps's REASON says it.
    const why = document.createElement("div");
    why.className = "reason";
    why.textContent = p.reason;
    row.state.append(why);
  }
  row.pid.textContent = p.pid > 0 ? p.pid : "–";
  row.restarts.textContent = p.restarts;
  row.exit.textContent = lastExit(p);
  row.ready.textContent = p.readiness === "none" ? (p.ready ? "yes" : "–") : `${p.ready ? "yes" : "no"} (${p.readiness})`;
  row.dev.textContent = p.devMode ? "on" : "off";
  row.cpu.value.textContent = running(p) && p.pid > 0 ? `${p.cpuPercent.toFixed(1)}%` : "–";
  row.mem.value.textContent = running(p) && p.pid > 0 ? bytes(p.memoryBytes) : "–";
  row.start.disabled = running(p);
  row.stop.disabled = p.state === "stopped" || p.state === "stopping";
  tickUptime(row, p);
}

function tickUptime(row, p) {
  row.uptime.textContent = p.startedAt ? duration((Date.now() - Date.parse(p.startedAt)) / 1000) : "–";
}

function render(list) {
  const body = document.querySelector("#processes tbody");
  const seen = new Set();
  for (const p of list) {
    seen.add(p.id);
    processes.set(p.id, p);
    let row = rows.get(p.id);
    if (!row) {
      row = newRow(p);
      rows.set(p.id, row);
    }
    fill(row, p);
    body.append(row.tr); // keeps pmj's order
  }
  for (const id of [...rows.keys()]) {
    if (!seen.has(id)) {
      rows.get(id).tr.remove();
      rows.delete(id);
      processes.delete(id);
    }
  }
  const select = $("log-process");
  const current = select.value;
  select.replaceChildren(new Option("all (merged)", ""));
  for (const p of list) select.append(new Option(p.id, p.id));
  select.value = current;
  terminalLink();
  if (!performance.getEntriesByName("pmj-table-filled").length && list.length) {
    performance.mark("pmj-table-filled");
  }
}

/**
 * Fills the table from the API. A state event that arrives while the request is under way is
 * newer than its answer: then it asks again, so that an older answer never overwrites it.
 */
async function reload() {
  for (let tries = 1; ; tries++) {
    const seen = stateEvents;
    const list = await call("GET", "/api/processes");
    if (seen === stateEvents || tries === 5) return render(list);
  }
}

// ---- live events ----

function applyStatus(s) {
  const p = processes.get(s.id);
  if (!p) return;
  Object.assign(p, {
    state: s.state, pid: s.pid, restarts: s.restarts, exitCode: s.exitCode,
    message: s.message, since: s.since, startedAt: s.startedAt,
    lastExit: s.lastExit, reason: s.reason,
    exitSignal: s.lastExit && s.lastExit.startsWith("SIG") ? s.lastExit.slice(3) : null,
  });
  p.ready = s.state === "ready";
  if (!(s.state === "running" || s.state === "ready")) {
    p.cpuPercent = 0;
    p.memoryBytes = 0;
  }
  fill(rows.get(s.id), p);
}

function applyMetrics(list) {
  for (const m of list) {
    const p = processes.get(m.id);
    const row = rows.get(m.id);
    if (!p || !row) continue;
    p.cpuPercent = m.cpuPercent;
    p.memoryBytes = m.memoryBytes;
    let h = history.get(m.id);
    if (!h) history.set(m.id, (h = { cpu: [], mem: [] }));
    h.cpu.push(m.cpuPercent);
    h.mem.push(m.memoryBytes);
    if (h.cpu.length > POINTS) h.cpu.shift();
    if (h.mem.length > POINTS) h.mem.shift();
    fill(row, p);
    draw(row.cpu.chart, h.cpu, POINTS, 10); // at least 10% high: idle noise stays flat
    draw(row.mem.chart, h.mem, POINTS, Math.max(...h.mem) * 1.25); // headroom above a flat line
  }
}

function connect() {
  if (events) events.close();
  events = new EventSource("/api/events");
  events.onopen = () => {
    failures = 0;
    const c = $("connection");
    c.textContent = "live";
    c.className = "live";
  };
  events.addEventListener("snapshot", () => reload().catch((e) => toast(e.message, true)));
  events.addEventListener("state", (e) => {
    const d = JSON.parse(e.data);
    stateEvents++;
    applyStatus(d.status);
    if (d.line) notice(d.line);
  });
  events.addEventListener("restart", (e) => notice(JSON.parse(e.data).line));
  events.addEventListener("notice", (e) => notice(JSON.parse(e.data).line));
  events.addEventListener("metrics", (e) => applyMetrics(JSON.parse(e.data).processes));
  events.addEventListener("added", () => reload());
  events.addEventListener("removed", () => reload());
  events.onerror = () => lost();
}

/** The stream broke: the browser tries again; two misses in a row mean pmj has stopped. */
async function lost() {
  if (gone) return;
  const c = $("connection");
  c.textContent = "reconnecting…";
  c.className = "down";
  if (await reachable()) {
    failures = 0;
    return;
  }
  failures++;
  if (failures >= 2) stop();
}

function stop() {
  gone = true;
  if (events) events.close();
  events = null;
  logs.close();
  terminal.close();
  const c = $("connection");
  c.textContent = "pmj has stopped";
  c.className = "down";
  $("gone").hidden = false;
  for (const b of document.querySelectorAll("button")) if (b.id !== "retry") b.disabled = true;
}

// ---- views ----

/** The log view of one interactive process offers its terminal. */
function terminalLink() {
  const id = $("log-process").value;
  const a = $("log-terminal");
  a.hidden = !processes.get(id)?.interactive;
  a.href = `#/terminal/${encodeURIComponent(id)}`;
  a.setAttribute("aria-label", `Terminal of ${id}`);
}

function route() {
  if (!started) return; // the first route() runs once the processes are known
  const hash = location.hash || "#/";
  const m = hash.match(/^#\/logs(?:\/(.+))?$/);
  const t = hash.match(/^#\/terminal\/(.+)$/);
  $("processes-view").hidden = !!(m || t);
  $("logs-view").hidden = !m;
  $("terminal-view").hidden = !t;
  $("nav-processes").toggleAttribute("aria-current", !(m || t));
  $("nav-logs").toggleAttribute("aria-current", !!(m || t));
  if (!m) logs.close();
  if (!t) terminal.close();
  if (t) return openTerminal(decodeURIComponent(t[1]));
  if (!m) return;
  const id = m[1] ? decodeURIComponent(m[1]) : "";
  $("log-process").value = id;
  terminalLink();
  if (!gone) logs.open(id, [...processes.keys()]);
}

function openTerminal(id) {
  const p = processes.get(id);
  const title = $("terminal-title");
  title.textContent = id;
  title.className = `c-${p?.color || "white"}`;
  $("terminal-logs").href = `#/logs/${encodeURIComponent(id)}`;
  const none = $("terminal-none");
  none.hidden = !!p?.interactive;
  $("terminal").hidden = !p?.interactive;
  if (!p) none.textContent = `There is no process "${id}".`;
  else if (!p.interactive) none.textContent = `${id} has no terminal: add "interactive: true" to it in pmj.yaml.`;
  if (p?.interactive && !gone) terminal.open(id);
  else terminal.close();
}

document.querySelectorAll("nav a").forEach((a) => a.setAttribute("aria-current", "false"));
$("log-process").addEventListener("change", (e) => {
  location.hash = e.target.value ? `#/logs/${encodeURIComponent(e.target.value)}` : "#/logs";
});
$("log-filter").addEventListener("input", (e) => logs.filter(e.target.value));
$("log-pause").addEventListener("click", (e) => {
  const paused = e.target.getAttribute("aria-pressed") !== "true";
  e.target.setAttribute("aria-pressed", String(paused));
  e.target.textContent = paused ? "Resume" : "Pause";
  logs.pause(paused);
});
$("restart-all").addEventListener("click", (e) =>
  confirmThen("Restart every process?", () => act(e.target, "POST", "/api/processes/all/restart", "Restart all")),
);
$("shutdown").addEventListener("click", (e) =>
  confirmThen("Stop every process and pmj itself?", () => act(e.target, "POST", "/api/shutdown", "Shut down")),
);
$("retry").addEventListener("click", () => location.reload());
window.addEventListener("hashchange", route);
// A page left for another must not keep its streams open (the back/forward cache keeps pages).
window.addEventListener("pagehide", () => {
  if (events) events.close();
  events = null;
  logs.close();
  terminal.close();
});
window.addEventListener("pageshow", (e) => {
  if (e.persisted && !gone) {
    connect();
    route();
  }
});
setInterval(() => {
  for (const [id, row] of rows) tickUptime(row, processes.get(id));
}, 1000);

// Figures for whoever measures the page: time to a filled table, and long tasks.
window.pmjStats = { longTasks: 0, longTaskMs: 0 };
try {
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) {
      window.pmjStats.longTasks++;
      window.pmjStats.longTaskMs += e.duration;
    }
  }).observe({ type: "longtask", buffered: true });
} catch (e) {
  // not measured here
}

(async () => {
  try {
    const project = await call("GET", "/api/project");
    $("project").textContent = project.name;
    document.title = `pmj · ${project.name}`;
    await reload();
  } catch (e) {
    toast(e.message, true);
  }
  started = true;
  connect();
  route();
})();
