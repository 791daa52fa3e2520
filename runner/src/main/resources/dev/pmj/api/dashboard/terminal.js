// The terminal view of an interactive process: xterm.js (served by pmj, loaded the first time the
// view opens) shows the process's terminal from its stream (the output kept first, then live), and
// what is typed into it goes to the process. The program's terminal takes the view's size.

import { send } from "./api.js";

const MAX_INPUT = 64 * 1024; // pmj takes at most this much a request
const encoder = new TextEncoder();
let modules = null;

function load() {
  if (!modules) {
    modules = Promise.all([import("./xterm/xterm.mjs"), import("./xterm/addon-fit.mjs")]);
    modules.catch(() => (modules = null));
  }
  return modules;
}

/**
 * xterm.js writes its theme and cell sizes into <style> elements it makes; the page's policy
 * applies only those that carry the page's nonce (new each time pmj serves the page, on the xterm
 * stylesheet's link). Every <style> made from here on gets it; the page makes none of its own.
 */
let stamping = false;
function stampStyles() {
  if (stamping) return;
  stamping = true;
  const nonce = document.getElementById("xterm-css")?.nonce;
  if (!nonce) return;
  const create = document.createElement;
  document.createElement = function (name, options) {
    const element = create.call(this, name, options);
    if (String(name).toLowerCase() === "style") element.nonce = nonce;
    return element;
  };
}

function decode(base64) {
  const s = atob(base64);
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return b;
}

function join(parts) {
  const all = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    all.set(p, at);
    at += p.length;
  }
  return all;
}

export class TerminalView {
  /** @param leave where the keyboard goes on Ctrl-] (every other key, Tab too, is the program's) */
  constructor(box, info, leave) {
    this.box = box;
    this.info = info;
    this.leave = leave;
    this.id = null;
    this.term = null;
    this.fitter = null;
    this.source = null;
    this.status = "";
    this.typed = []; // keys not sent yet: they go together once the request in flight is done
    this.typing = false;
    this.size = null; // the size to tell pmj once the request in flight is done
    this.sizing = false;
    this.lineStart = true;
    this.frame = 0;
    this.onWindowResize = () => {
      if (!this.frame) {
        this.frame = requestAnimationFrame(() => {
          this.frame = 0;
          if (this.fitter) this.fitter.fit();
        });
      }
    };
  }

  /** Shows the terminal of interactive process {@code id}. */
  async open(id) {
    if (this.id === id) return;
    this.close();
    this.id = id;
    this.say("loading…");
    let Terminal, FitAddon;
    try {
      [{ Terminal }, { FitAddon }] = await load();
    } catch (e) {
      if (this.id === id) this.say(`the terminal could not be loaded: ${e.message}`);
      return;
    }
    if (this.id !== id) return; // left while loading
    stampStyles();
    const term = new Terminal({
      fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "DejaVu Sans Mono", monospace',
      fontSize: 13,
      scrollback: 5000,
      theme: { background: "#0f1215", foreground: "#e6e9ec", cursor: "#e6e9ec" },
    });
    this.term = term;
    this.fitter = new FitAddon();
    term.loadAddon(this.fitter);
    term.onData((text) => this.type(encoder.encode(text)));
    term.onBinary((text) => this.type(Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff)));
    term.onResize(() => this.resize());
    // As in pmj's console and pmj connect: Ctrl-] leaves the terminal, which keeps Tab for itself.
    term.attachCustomKeyEventHandler((e) => {
      if (e.type === "keydown" && e.ctrlKey && e.code === "BracketRight") {
        this.leave.focus();
        return false;
      }
      return true;
    });
    term.open(this.box);
    this.fitter.fit();
    this.resize(); // the program's terminal takes this size, changed or not
    window.addEventListener("resize", this.onWindowResize);
    this.follow(id);
    term.focus();
  }

  follow(id) {
    const source = new EventSource(`/api/processes/${encodeURIComponent(id)}/terminal`);
    let opened = false;
    source.onopen = () => {
      // A stream opened again (pmj ended it, or the connection broke) replays what is kept.
      if (opened) this.term.reset();
      opened = true;
      this.lineStart = true;
      this.say("live · Ctrl-] leaves the terminal");
    };
    source.addEventListener("output", (e) => {
      const b = decode(e.data);
      if (b.length) this.lineStart = b[b.length - 1] === 0x0a;
      this.term.write(b);
    });
    source.addEventListener("exit", (e) => {
      const d = JSON.parse(e.data);
      const how = d.code === null || d.code === undefined ? d.state : `${d.state}, code ${d.code}`;
      this.mark(how);
      this.say(how);
    });
    // The new run writes to a new terminal: its output follows what the last one left.
    source.addEventListener("restart", (e) => {
      this.mark(`restarted, pid ${JSON.parse(e.data).pid}`);
      this.say("live · Ctrl-] leaves the terminal");
    });
    source.onerror = () => {
      if (source !== this.source) return;
      this.say(source.readyState === EventSource.CLOSED ? "the terminal stream ended" : "reconnecting…");
    };
    this.source = source;
  }

  /** A line of pmj's own between the program's output, dim and in brackets. */
  mark(text) {
    this.term.write(`${this.lineStart ? "" : "\r\n"}\x1b[2m[${text}]\x1b[22m\r\n`);
    this.lineStart = true;
  }

  /** Keys typed: one request at a time, what comes meanwhile goes with the next. */
  async type(bytes) {
    this.typed.push(bytes);
    if (this.typing) return;
    this.typing = true;
    try {
      while (this.typed.length && this.id) {
        const id = this.id;
        const all = join(this.typed);
        this.typed = [];
        for (let at = 0; at < all.length; at += MAX_INPUT) {
          const part = all.subarray(at, at + MAX_INPUT);
          try {
            await send(`/api/processes/${encodeURIComponent(id)}/input`, part, "application/octet-stream");
          } catch (e) {
            if (this.id === id) this.say(`not typed: ${e.message}`);
            break;
          }
        }
      }
    } finally {
      this.typing = false;
    }
  }

  /** Tells pmj the view's size: the program gets it (SIGWINCH); the latest wins. */
  async resize() {
    if (!this.term) return;
    this.size = { cols: this.term.cols, rows: this.term.rows };
    this.showInfo();
    if (this.sizing) return;
    this.sizing = true;
    try {
      while (this.size && this.id) {
        const id = this.id;
        const body = JSON.stringify(this.size);
        this.size = null;
        try {
          await send(`/api/processes/${encodeURIComponent(id)}/resize`, body, "application/json");
        } catch (e) {
          if (this.id === id) this.say(`size not set: ${e.message}`);
        }
      }
    } finally {
      this.sizing = false;
    }
  }

  say(status) {
    this.status = status;
    this.showInfo();
  }

  showInfo() {
    const parts = [this.status];
    if (this.term) parts.push(`${this.term.cols}×${this.term.rows}`);
    this.info.textContent = parts.filter(Boolean).join(" · ");
  }

  close() {
    if (this.source) this.source.close();
    this.source = null;
    window.removeEventListener("resize", this.onWindowResize);
    if (this.term) this.term.dispose();
    this.term = null;
    this.fitter = null;
    this.id = null;
    this.typed = [];
    this.size = null;
    this.box.replaceChildren();
    this.info.textContent = "";
  }
}
