// The API client: the key lives in this tab's sessionStorage only and travels in the
// Authorization header of same-origin requests, never in a URL or a cookie.

const KEY_NAME = "transcripts.apiKey";

// The console is served at <base>/console/, so the API is one level up (works behind a stage prefix).
export const apiBase = new URL("..", new URL(".", location.href)).href.replace(/\/$/, "");

export class ApiError extends Error {
  constructor(status, body) {
    const err = (body && body.error) || {};
    super(err.message || `HTTP ${status}`);
    this.status = status;
    this.code = err.code || "http_error";
    this.param = err.param || null;
  }
}

export const session = {
  get key() { return sessionStorage.getItem(KEY_NAME); },
  set key(value) {
    if (value) sessionStorage.setItem(KEY_NAME, value);
    else sessionStorage.removeItem(KEY_NAME);
  },
};

function headers(extra = {}) {
  return { Authorization: `Bearer ${session.key}`, ...extra };
}

async function parse(response) {
  if (response.status === 204) return null;
  const type = response.headers.get("content-type") || "";
  const body = type.includes("json") ? await response.json().catch(() => null) : await response.text();
  if (!response.ok) {
    if (response.status === 401) window.dispatchEvent(new CustomEvent("console:unauthorized"));
    throw new ApiError(response.status, typeof body === "object" ? body : null);
  }
  return body;
}

export async function request(method, path, { json, body, query, raw } = {}) {
  const url = new URL(apiBase + path);
  for (const [k, v] of Object.entries(query || {})) {
    if (v !== undefined && v !== null && v !== "") url.searchParams.set(k, v);
  }
  const init = { method, headers: headers(), cache: "no-store", referrerPolicy: "no-referrer" };
  if (json !== undefined) {
    init.headers["content-type"] = "application/json";
    init.body = JSON.stringify(json);
  } else if (body !== undefined) {
    init.body = body;
  }
  const response = await fetch(url, init);
  return raw ? response : parse(response);
}

export const api = {
  models: () => request("GET", "/v1/models"),
  list: (query) => request("GET", "/v1/transcripts", { query }),
  get: (id) => request("GET", `/v1/transcripts/${encodeURIComponent(id)}`),
  remove: (id) => request("DELETE", `/v1/transcripts/${encodeURIComponent(id)}`),
  deliveries: (id) => request("GET", `/v1/transcripts/${encodeURIComponent(id)}/webhook_deliveries`),
  createJson: (fields) => request("POST", "/v1/transcripts", { json: fields }),
  startUpload: (size, filename) => request("POST", "/v1/uploads", { json: { size, filename } }),
  completeUpload: (path, parts) => request("POST", path, { json: { parts } }),
  realtimeToken: () => request("POST", "/v1/realtime/tokens", { json: {} }),

  /** The stored recording as a Blob (fetched with the key; an <audio src> could not send it). */
  async audio(id) {
    const response = await request("GET", `/v1/transcripts/${encodeURIComponent(id)}/audio`, { raw: true });
    if (!response.ok) await parse(response);
    return response.blob();
  },

  /** A caption file from the API, or null when this server has no such endpoint (404). */
  async captions(id, format) {
    const response = await request("GET", `/v1/transcripts/${encodeURIComponent(id)}/${format}`, { raw: true });
    if (response.status === 404 || response.status === 405) return null;
    if (!response.ok) await parse(response);
    return response.text();
  },

  /** Multipart create with upload progress (fetch cannot report it; XHR can). */
  createUpload(form, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("POST", apiBase + "/v1/transcripts");
      xhr.setRequestHeader("Authorization", `Bearer ${session.key}`);
      xhr.responseType = "json";
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress && onProgress(e.loaded / e.total);
      xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve(xhr.response)
        : reject(new ApiError(xhr.status, xhr.response)));
      xhr.onerror = () => reject(new ApiError(0, { error: { message: "network error while uploading" } }));
      xhr.send(form);
    });
  },

  /** PUT a body to a presigned URL (no API key: the URL is the authorization). Returns the ETag. */
  put(url, body, onProgress) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open("PUT", new URL(url, apiBase + "/").href);
      xhr.upload.onprogress = (e) => e.lengthComputable && onProgress && onProgress(e.loaded);
      xhr.onload = () => (xhr.status >= 200 && xhr.status < 300 ? resolve(xhr.getResponseHeader("etag"))
        : reject(new ApiError(xhr.status, { error: { message: `upload failed (HTTP ${xhr.status})` } })));
      xhr.onerror = () => reject(new ApiError(0, { error: { message: "network error while uploading" } }));
      xhr.send(body);
    });
  },
};
