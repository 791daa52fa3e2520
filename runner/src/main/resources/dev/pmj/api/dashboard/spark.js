// A small line chart (inline SVG) of the last values of a series, newest on the right.

const NS = "http://www.w3.org/2000/svg";

export function sparkline(label) {
  const svg = document.createElementNS(NS, "svg");
  svg.setAttribute("class", "spark");
  svg.setAttribute("viewBox", "0 0 100 24");
  svg.setAttribute("preserveAspectRatio", "none");
  svg.setAttribute("role", "img");
  svg.setAttribute("aria-label", label);
  const base = document.createElementNS(NS, "line");
  base.setAttribute("x1", "0");
  base.setAttribute("x2", "100");
  base.setAttribute("y1", "23.5");
  base.setAttribute("y2", "23.5");
  base.setAttribute("class", "base");
  const area = document.createElementNS(NS, "polygon");
  const line = document.createElementNS(NS, "polyline");
  svg.append(base, area, line);
  return svg;
}

/** Draws {@code values} (oldest first), scaled to {@code max} (or their own largest). */
export function draw(svg, values, capacity, max) {
  const area = svg.children[1];
  const line = svg.children[2];
  if (values.length < 2) {
    line.setAttribute("points", "");
    area.setAttribute("points", "");
    return;
  }
  const top = Math.max(max || 0, ...values) || 1;
  const step = 100 / (capacity - 1);
  const start = capacity - values.length;
  let points = "";
  for (let i = 0; i < values.length; i++) {
    const x = (start + i) * step;
    const y = 23 - (values[i] / top) * 21;
    points += `${x.toFixed(2)},${y.toFixed(2)} `;
  }
  line.setAttribute("points", points);
  area.setAttribute("points", `${(start * step).toFixed(2)},24 ${points}100,24`);
}
