// The log view: lines of one process or of all, followed live over Server-Sent Events. Only the
// last LIMIT lines are kept, and new lines reach the page once per frame, so a process writing
// thousands of lines a second leaves the page responsive.

import { render, plain } from "./ansi.js";

export const LIMIT = 1000;

export class LogView {
  constructor(box, info, colorOf) {
    this.box = box;
    this.info = info;
    this.colorOf = colorOf;
    this.lines = [];
    this.pending = [];
    this.paused = false;
    this.needle = "";
    this.source = null;
    this.id = null;
    this.width = 3;
    this.frame = 0;
  }

  /**
   * Follows process {@code id} (with pmj's lines about it), or every process (and all of pmj's own
   * lines) when it is "".
   */
  open(id, ids) {
    this.width = Math.max(3, ...ids.map((i) => i.length));
    if (this.source && this.id === id) return;
    this.close();
    this.id = id;
    this.lines = [];
    this.pending = [];
    this.box.replaceChildren();
    const path = id
      ? `/api/processes/${encodeURIComponent(id)}/logs?follow=true&tail=${LIMIT}`
      : `/api/logs?follow=true&tail=${LIMIT}`;
    // On a reconnect the browser sends Last-Event-ID: pmj resumes after it, with no gap.
    this.source = new EventSource(path);
    this.source.onmessage = (e) => this.add(JSON.parse(e.data));
    this.showInfo();
  }

  close() {
    if (this.source) this.source.close();
    this.source = null;
    this.id = null;
  }

  add(line) {
    this.lines.push(line);
    if (this.lines.length > LIMIT) {
      const old = this.lines.shift();
      if (old.node) old.node.remove();
    }
    if (this.paused) return;
    this.pending.push(line);
    if (!this.frame) this.frame = requestAnimationFrame(() => this.flush());
  }

  flush() {
    this.frame = 0;
    const atBottom = this.box.scrollHeight - this.box.scrollTop - this.box.clientHeight < 30;
    const fragment = document.createDocumentFragment();
    for (const line of this.pending) {
      // Lines dropped from the front before this frame are not drawn.
      if (this.lines.length && line.seq < this.lines[0].seq) continue;
      if (this.matches(line)) fragment.append(this.node(line));
    }
    this.pending = [];
    this.box.append(fragment);
    if (atBottom) this.box.scrollTop = this.box.scrollHeight;
    this.showInfo();
  }

  matches(line) {
    if (!this.needle) return true;
    return (line.id + " " + plain(line.text)).toLowerCase().includes(this.needle);
  }

  node(line) {
    const div = document.createElement("div");
    if (line.id === "pmj") div.className = "pmj";
    // One process's view has its lines bare, and pmj's lines about it as "pmj | web: exited…".
    if (!this.id || line.id === "pmj") {
      const prefix = document.createElement("span");
      prefix.className = "prefix" + (line.id === "pmj" ? "" : " c-" + (this.colorOf(line.id) || "white"));
      prefix.textContent = line.id.padEnd(this.id ? 0 : this.width) + " | ";
      div.append(prefix);
    }
    render(line.text, div);
    div.title = line.at;
    line.node = div;
    return div;
  }

  /** Draws every kept line again (after a filter change or a pause). */
  redraw() {
    const fragment = document.createDocumentFragment();
    for (const line of this.lines) {
      line.node = null;
      if (this.matches(line)) fragment.append(this.node(line));
    }
    this.box.replaceChildren(fragment);
    this.box.scrollTop = this.box.scrollHeight;
    this.showInfo();
  }

  pause(paused) {
    this.paused = paused;
    if (!paused) {
      this.pending = [];
      this.redraw();
    }
    this.showInfo();
  }

  filter(text) {
    this.needle = text.trim().toLowerCase();
    this.redraw();
  }

  showInfo() {
    const shown = this.box.childElementCount;
    let text = `${shown} of the last ${this.lines.length} lines`;
    if (this.paused) text += " (paused)";
    this.info.textContent = text;
  }
}
