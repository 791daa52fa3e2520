// Requests to pmj's API from the page: the token travels as the HttpOnly cookie.

export class ApiError extends Error {}

/** Sends a request; resolves with the parsed JSON, or rejects with pmj's own error text. */
export async function call(method, path) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: { "X-Pmj-Client": "dashboard", Accept: "application/json" },
      cache: "no-store",
    });
  } catch (e) {
    throw new ApiError("pmj cannot be reached");
  }
  const text = await response.text();
  let body = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch (e) {
    body = null;
  }
  if (!response.ok) {
    throw new ApiError((body && body.error) || `HTTP ${response.status}`);
  }
  return body;
}

/** Whether pmj answers at all (any HTTP answer counts). */
export async function reachable() {
  try {
    await fetch("/api/health", { cache: "no-store" });
    return true;
  } catch (e) {
    return false;
  }
}

/** Sends {@code body} (bytes or text of {@code type}); resolves when pmj took it. */
export async function send(path, body, type) {
  let response;
  try {
    response = await fetch(path, {
      method: "POST",
      headers: { "X-Pmj-Client": "dashboard", "Content-Type": type },
      body,
      cache: "no-store",
    });
  } catch (e) {
    throw new ApiError("pmj cannot be reached");
  }
  if (response.ok) return;
  let error = `HTTP ${response.status}`;
  try {
    error = (await response.json()).error || error;
  } catch (e) {
    // not JSON: the status says it
  }
  throw new ApiError(error);
}
