// Create a job: a file (multipart, or /v1/uploads for files too big for one request) or a URL,
// with every option of POST /v1/transcripts.

import { api, ApiError } from "./api.js";
import { $, el, go, notify } from "./ui.js";

// API Gateway and Lambda cap a request near 6 MB (base64 inflates it): bigger files go to
// /v1/uploads (presigned PUTs) and are then transcribed by their upload:// URL. The limit is
// the form's data-direct-limit (bytes).
const form = $("#create-form");
const directLimit = () => Number(form.dataset.directLimit);
let modelsLoaded = false;

function metaRow(key = "", value = "") {
  const n = form.querySelectorAll(".meta-row").length + 1;
  const row = el("div", { class: "meta-row" },
    el("div", {}, el("label", { for: `meta-k${n}`, text: `Key ${n}` }),
      el("input", { id: `meta-k${n}`, class: "meta-key", maxlength: 40, value: key, spellcheck: "false" })),
    el("div", {}, el("label", { for: `meta-v${n}`, text: `Value ${n}` }),
      el("input", { id: `meta-v${n}`, class: "meta-value", maxlength: 500, value })),
    el("button", { type: "button", "aria-label": `Remove metadata ${n}`, text: "Remove",
      onclick: () => row.remove() }));
  $("#meta-rows").append(row);
  return row;
}

function syncControls() {
  const url = form.source.value === "url";
  $("#src-file-box").hidden = url;
  $("#src-url-box").hidden = !url;
  const diarize = $("#c-diarize").checked;
  const multichannel = diarize && $("#c-multichannel").checked;
  for (const id of ["#c-expected", "#c-min", "#c-max"]) $(id).disabled = !diarize || multichannel;
  $("#c-multichannel").disabled = !diarize;
  $("#c-audio-mode").disabled = !form.querySelector("input[name=redact]:checked");
}

/** The create fields as one object (only what the user set, so the server's defaults apply). */
function fields() {
  const f = {};
  const text = (name) => form.elements[name].value.trim();
  if (text("model")) f.model = text("model");
  if (text("language")) f.language = text("language").toLowerCase();
  f.word_timestamps = $("#c-words").checked;
  const vocab = text("vocabulary").split(/[\n,]/).map((s) => s.trim()).filter(Boolean);
  if (vocab.length) f.vocabulary = vocab;
  if ($("#c-diarize").checked) {
    f.diarize = true;
    if ($("#c-multichannel").checked) f.multichannel = true;
    for (const name of ["speakers_expected", "min_speakers", "max_speakers"]) {
      if (!form.elements[name].disabled && text(name)) f[name] = Number(text(name));
    }
  }
  const redact = [...form.querySelectorAll("input[name=redact]:checked")].map((c) => c.value);
  if (redact.length) {
    f.redact = redact;
    if (text("redact_audio_mode")) f.redact_audio_mode = text("redact_audio_mode");
  }
  if (text("webhook_url")) f.webhook_url = text("webhook_url");
  const metadata = {};
  for (const row of form.querySelectorAll(".meta-row")) {
    const k = row.querySelector(".meta-key").value.trim();
    if (k) metadata[k] = row.querySelector(".meta-value").value;
  }
  if (Object.keys(metadata).length) f.metadata = metadata;
  return f;
}

function multipart(file, f) {
  const data = new FormData();
  data.append("audio_file", file, file.name);
  for (const [k, v] of Object.entries(f)) {
    if (Array.isArray(v)) v.forEach((item) => data.append(k, item));
    else if (typeof v === "object") data.append(k, JSON.stringify(v));
    else data.append(k, String(v));
  }
  return data;
}

async function uploadLarge(file, progress) {
  const upload = await api.startUpload(file.size, file.name);
  if (!upload.parts) {
    await api.put(upload.url, file, (sent) => progress(sent / file.size));
  } else {
    const done = [];
    let before = 0;
    for (const part of upload.parts) {
      const start = before;
      const etag = await api.put(part.url, file.slice(start, start + part.size), (sent) => progress((start + sent) / file.size));
      done.push({ part_number: part.part_number, etag: etag || "" });
      before += part.size;
    }
    await api.completeUpload(upload.complete_url, done);
  }
  return upload.audio_url;
}

async function submit(e) {
  e.preventDefault();
  const error = $("#create-error");
  const bar = $("#create-progress");
  error.textContent = "";
  const f = fields();
  const byUrl = form.source.value === "url";
  const file = $("#c-file").files[0];
  if (byUrl && !$("#c-url").value.trim()) { error.textContent = "Give the audio URL."; $("#c-url").focus(); return; }
  if (!byUrl && !file) { error.textContent = "Choose a recording to upload."; $("#c-file").focus(); return; }
  $("#create-submit").disabled = true;
  bar.hidden = false;
  bar.removeAttribute("value");
  const progress = (x) => { bar.value = x; };
  try {
    let job;
    if (byUrl) job = await api.createJson({ audio_url: $("#c-url").value.trim(), ...f });
    else if (file.size > directLimit()) job = await api.createJson({ audio_url: await uploadLarge(file, progress), ...f });
    else job = await api.createUpload(multipart(file, f), progress);
    form.reset();
    $("#meta-rows").replaceChildren();
    syncControls();
    notify(`Created ${job.id}.`);
    go(`#/t/${encodeURIComponent(job.id)}`);
  } catch (err) {
    const param = err instanceof ApiError && err.param ? ` (${err.param})` : "";
    error.textContent = `${err.message}${param}`;
    const target = err.param && form.elements[err.param];
    if (target && target.focus) target.focus();
  } finally {
    $("#create-submit").disabled = false;
    bar.hidden = true;
  }
}

async function loadModels() {
  if (modelsLoaded) return;
  try {
    const { data } = await api.models();
    const select = $("#c-model");
    const langs = new Set();
    for (const m of data) {
      select.append(el("option", { value: m.id, text: m.default ? `${m.id} (default)` : m.id }));
      (m.languages || []).forEach((l) => langs.add(l));
    }
    $("#languages").replaceChildren(...[...langs].sort().map((l) => el("option", { value: l })));
    modelsLoaded = true;
  } catch { /* the server default still works */ }
}

form.addEventListener("change", syncControls);
form.addEventListener("submit", submit);
$("#meta-add").addEventListener("click", () => metaRow().querySelector("input").focus());
syncControls();

export function enter() { loadModels(); }
