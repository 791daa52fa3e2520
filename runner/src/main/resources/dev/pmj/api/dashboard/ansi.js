// ANSI colors and styles (SGR) of a line, rendered as styled spans; every other escape sequence
// (cursor moves, titles) is dropped. Text always goes in as text, never as HTML.

const ESCAPES = /\x1b\[([0-9;:]*)([A-Za-z])|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][A-Za-z0-9]|\x1b./g;

function xterm256(n) {
  if (n < 16) return `var(--a${n})`;
  if (n >= 232) {
    const v = 8 + (n - 232) * 10;
    return `rgb(${v},${v},${v})`;
  }
  const i = n - 16;
  const level = (c) => (c === 0 ? 0 : 55 + c * 40);
  return `rgb(${level(Math.floor(i / 36))},${level(Math.floor(i / 6) % 6)},${level(i % 6)})`;
}

function apply(style, params) {
  const codes = params === "" ? [0] : params.split(/[;:]/).map((p) => (p === "" ? 0 : Number(p)));
  for (let i = 0; i < codes.length; i++) {
    const c = codes[i];
    if (c === 0) {
      style.fg = style.bg = null;
      style.b = style.d = style.i = style.u = false;
    } else if (c === 1) style.b = true;
    else if (c === 2) style.d = true;
    else if (c === 3) style.i = true;
    else if (c === 4) style.u = true;
    else if (c === 22) style.b = style.d = false;
    else if (c === 23) style.i = false;
    else if (c === 24) style.u = false;
    else if (c >= 30 && c <= 37) style.fg = `var(--a${c - 30})`;
    else if (c >= 90 && c <= 97) style.fg = `var(--a${c - 90 + 8})`;
    else if (c === 39) style.fg = null;
    else if (c >= 40 && c <= 47) style.bg = `var(--a${c - 40})`;
    else if (c >= 100 && c <= 107) style.bg = `var(--a${c - 100 + 8})`;
    else if (c === 49) style.bg = null;
    else if ((c === 38 || c === 48) && codes[i + 1] === 5) {
      style[c === 38 ? "fg" : "bg"] = xterm256(codes[i + 2] || 0);
      i += 2;
    } else if ((c === 38 || c === 48) && codes[i + 1] === 2) {
      style[c === 38 ? "fg" : "bg"] = `rgb(${codes[i + 2] || 0},${codes[i + 3] || 0},${codes[i + 4] || 0})`;
      i += 4;
    }
  }
}

function span(text, style) {
  if (!style.fg && !style.bg && !style.b && !style.d && !style.i && !style.u) {
    return document.createTextNode(text);
  }
  const s = document.createElement("span");
  s.textContent = text;
  if (style.fg) s.style.color = style.fg;
  if (style.bg) s.style.backgroundColor = style.bg;
  if (style.b) s.classList.add("b");
  if (style.d) s.classList.add("d");
  if (style.i) s.classList.add("i");
  if (style.u) s.classList.add("u");
  return s;
}

/** Appends the line's text to {@code parent} with its colors as styles. */
export function render(line, parent) {
  if (line.indexOf("\x1b") < 0) {
    parent.append(line);
    return;
  }
  const style = {};
  let last = 0;
  ESCAPES.lastIndex = 0;
  let m;
  while ((m = ESCAPES.exec(line)) !== null) {
    if (m.index > last) parent.append(span(line.slice(last, m.index), style));
    if (m[2] === "m") apply(style, m[1]);
    last = ESCAPES.lastIndex;
  }
  if (last < line.length) parent.append(span(line.slice(last), style));
}

/** The line without escape sequences, for filtering. */
export function plain(line) {
  return line.indexOf("\x1b") < 0 ? line : line.replace(ESCAPES, "");
}
