// The dashboard's control to scale a process of the file (pmj scale): how many instances run.

import { send } from "./api.js";

const INSTANCE = /\.\d+$/;

/** How many instances of the file's process {@code name} the page knows of. */
function countOf(name, processes) {
  let n = 0;
  for (const q of processes.values()) if (!q.adHoc && q.id.replace(INSTANCE, "") === name) n++;
  return n;
}

/**
 * A number and a Scale button for the row of process {@code p} when it is the first instance of a
 * process of the file ({@code web}, or {@code web.1}); null for other rows. {@code onError} gets
 * pmj's own text when the scale is refused.
 */
export function scaleControl(p, processes, onError) {
  const name = p.id.replace(INSTANCE, "");
  if (p.adHoc || (name !== p.id && !p.id.endsWith(".1"))) return null;
  const form = document.createElement("form");
  form.className = "scale";
  form.noValidate = true; // pmj's own reason for a refused count, as every other way of scaling
  const input = document.createElement("input");
  input.type = "number";
  input.min = "0";
  input.max = "64";
  input.setAttribute("aria-label", `Instances of ${name}`);
  // Once the whole table is in: its siblings come after this row.
  queueMicrotask(() => (input.value = String(countOf(name, processes))));
  const button = document.createElement("button");
  button.type = "submit";
  button.textContent = "Scale";
  button.setAttribute("aria-label", `Scale ${name}`);
  form.append(input, button);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    button.disabled = true;
    const instances = input.value.trim() === "" ? null : Number(input.value);
    try {
      await send(
        `/api/processes/${encodeURIComponent(name)}/scale`,
        JSON.stringify({ instances }),
        "application/json",
      );
    } catch (err) {
      onError(`Scale ${name} failed: ${err.message}`);
    } finally {
      button.disabled = false;
    }
  });
  return form;
}
