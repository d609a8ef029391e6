// One transcript: the recording with the text in utterances per speaker, the spoken word
// highlighted on the audio clock, click-to-seek, redaction tokens over the beeped ranges,
// low-confidence words, details, metadata, webhook deliveries, downloads and delete.

import { api } from "./api.js";
import { clock, created, duration, srt, vtt } from "./format.js";
import { $, el, go, notify, save } from "./ui.js";

const POLL_MS = 1000;
const SPEAKER_COLOURS = 8;       // .spk-0 … .spk-7 in style.css
const LINGER_S = 0.15;           // a word stays highlighted this long after its end
const TOKEN = /\[(PII|PHI|PCI)\]/;

let id = null;
let t = null;                    // the transcript object shown
let timer = null;
let wordEls = [];                // span per word, same order as t.words
let tokenEls = [];               // without word timings: span per redaction token, in text order
let current = -1;
let audioUrl = null;
let frame = null;
const audio = $("#audio");

// ----------------------------------------------------------------- loading
async function load() {
  clearTimeout(timer);
  const mine = id;
  let next;
  try {
    next = await api.get(mine);
  } catch (err) {
    if (mine !== id) return;
    $("#t-state").replaceChildren(el("p", { class: "error", role: "alert",
      text: err.status === 404 ? "No such transcript for this API key." : `Could not load: ${err.message}` }));
    return;
  }
  if (mine !== id) return;
  const wasDone = t && t.status === "completed";
  t = next;
  renderState();
  renderDetails();
  if (t.status === "queued" || t.status === "processing") {
    timer = setTimeout(load, POLL_MS);
  } else if (t.status === "completed" && !wasDone) {
    renderText();
    loadAudio();
  }
  loadDeliveries();
}

function renderState() {
  const box = $("#t-state");
  const busy = t.status === "queued" || t.status === "processing";
  const parts = [el("span", { class: `badge ${t.status}`, id: "t-status", text: t.status })];
  if (busy) {
    const bar = el("progress", { max: 1, "aria-label": "Transcription progress" });
    let label = t.status === "queued" ? " Waiting for a worker…" : " Transcribing…";
    if (typeof t.progress === "number") { bar.value = t.progress; label += ` ${Math.round(t.progress * 100)}%`; }
    parts.push(label, bar);
  } else if (t.status === "error" && t.error) {
    parts.push(" ", el("span", { class: "error", text: `${t.error.code}: ${t.error.message}` }));
  }
  box.replaceChildren(...parts);
  for (const b of document.querySelectorAll("[data-download=srt],[data-download=vtt]")) b.disabled = t.status !== "completed";
}

function row(dl, name, value) {
  if (value === null || value === undefined || value === "" || (Array.isArray(value) && !value.length)) return;
  dl.append(el("dt", { text: name }), el("dd", {}, value));
}

function renderDetails() {
  const d = $("#t-details");
  d.replaceChildren();
  row(d, "ID", el("code", { text: t.id }));
  row(d, "Status", t.status);
  row(d, "Created", created(t.created));
  row(d, "Completed", t.completed ? created(t.completed) : null);
  row(d, "Duration", t.duration != null ? `${duration(t.duration)} (${t.duration.toFixed(2)} s)` : null);
  row(d, "Language", t.language ? t.language + (t.language_confidence != null ? ` (${Math.round(t.language_confidence * 100)}%)` : "") : null);
  row(d, "Model", t.model);
  row(d, "Confidence", t.confidence != null ? `${Math.round(t.confidence * 100)}%` : null);
  row(d, "Speakers", t.diarize ? (t.multichannel ? "one per channel" : hints()) : "not labelled");
  row(d, "Word timings", t.word_timestamps ? "yes" : "no");
  row(d, "Redact", t.redact && t.redact.length ? `${t.redact.join(", ")} (${t.redact_audio_mode || "beep"})` : null);
  row(d, "Vocabulary", (t.vocabulary || []).join(", "));
  row(d, "Webhook URL", t.webhook_url);
  const m = $("#t-meta");
  m.replaceChildren();
  for (const [k, v] of Object.entries(t.metadata || {})) row(m, k, v);
  if (!m.children.length) m.append(el("dd", { class: "muted", text: "None." }));
}

function hints() {
  if (t.speakers_expected) return `labelled (${t.speakers_expected} expected)`;
  if (t.min_speakers || t.max_speakers) return `labelled (${t.min_speakers || 1}–${t.max_speakers || "?"})`;
  return "labelled";
}

async function loadDeliveries() {
  const box = $("#t-hooks");
  if (!t.webhook_url) { box.replaceChildren(el("p", { class: "muted", text: "No webhook URL on this job." })); return; }
  let list;
  try { ({ data: list } = await api.deliveries(t.id)); } catch (err) {
    box.replaceChildren(el("p", { class: "error", text: `Could not load: ${err.message}` })); return;
  }
  if (!list.length) { box.replaceChildren(el("p", { class: "muted", text: "None yet." })); return; }
  box.replaceChildren(...list.map((d) => el("div", { class: "delivery" },
    el("p", {}, el("strong", { text: d.event_type }), " · ", el("span", { class: "badge", text: d.state })),
    el("table", {},
      el("thead", {}, el("tr", {}, ...["#", "When", "ms", "Result"].map((h) => el("th", { scope: "col", text: h })))),
      el("tbody", {}, ...(d.attempts || []).map((a) => el("tr", {},
        el("td", { text: a.attempt }),
        el("td", { text: a.started_ns ? new Date(a.started_ns / 1e6).toLocaleTimeString() : "–" }),
        el("td", { text: a.duration_ms ?? "–" }),
        el("td", { text: a.status_code ? `HTTP ${a.status_code}` : (a.error || "–") }))))))));
  if (t.status === "completed" && list.some((d) => d.state !== "delivered" && d.state !== "failed")) {
    clearTimeout(timer);
    timer = setTimeout(loadDeliveries, 2 * POLL_MS);
  }
}

// ----------------------------------------------------------------- the text
/** Utterances to show: the API's, else one block for the whole recording. */
function blocks() {
  if (t.utterances && t.utterances.length) return t.utterances.map((u) => ({ ...u, words: [] }));
  return [{ speaker: null, start: 0, end: t.duration || 0, text: t.text || "", words: [] }];
}

function wordSpan(w, i) {
  const token = TOKEN.exec(w.word);
  const span = el("span", { class: "w", tabindex: -1, dataset: { i, start: w.start, end: w.end }, text: w.word });
  if (token) {
    span.classList.add("token");
    span.title = `Redacted ${token[1]}, ${clock(w.start)}–${clock(w.end)}: ${beepWord()} in the recording`;
  } else if (w.confidence != null) {
    span.dataset.confidence = w.confidence;
  }
  return span;
}

function beepWord() { return t.redact_audio_mode === "silence" ? "silenced" : "beeped"; }

/** Text without word timings: tokens become marks (seekable to their range when they pair up). */
function textWithTokens(text) {
  const out = [];
  for (const piece of text.split(/(\[(?:PII|PHI|PCI)\])/)) {
    if (!piece) continue;
    if (TOKEN.test(piece)) {
      const span = el("span", { class: "w token", tabindex: -1, text: piece });
      tokenEls.push(span);
      out.push(span);
    } else out.push(piece);
  }
  return out;
}

function renderText() {
  const box = $("#t-text");
  wordEls = [];
  tokenEls = [];
  current = -1;
  const bs = blocks();
  const words = t.words || [];
  let b = 0;
  words.forEach((w, i) => {  // each word to the last utterance that started before its middle
    const mid = (w.start + w.end) / 2;
    while (b < bs.length - 1 && mid >= bs[b + 1].start) b++;
    bs[b].words.push([w, i]);
  });
  const diarized = t.diarize && t.utterances && t.utterances.length;
  box.replaceChildren(...bs.map((u) => {
    const speaker = diarized && u.speaker != null ? u.speaker : null;
    const text = el("div", { class: "utt-text" });
    if (words.length) {
      u.words.forEach(([w, i], k) => {
        const span = wordSpan(w, i);
        wordEls[i] = span;
        text.append(k ? " " : "", span);
      });
    } else {
      text.append(...textWithTokens(u.text));
    }
    return el("div", { class: `utt${speaker != null ? ` spk-${speaker % SPEAKER_COLOURS}` : ""}`,
      dataset: { speaker: speaker ?? "" } },
      el("div", { class: "utt-head" },
        speaker != null ? el("span", { class: "who", text: `Speaker ${speaker}` }) : null,
        el("button", { type: "button", class: "seek", "aria-label": `Play from ${clock(u.start)}`, text: `▶ ${clock(u.start)}`,
          onclick: () => seek(u.start) })),
      text);
  }));
  if (!(t.text || "").trim()) box.replaceChildren(el("p", { class: "muted", text: "No speech was found in this recording." }));
  const first = wordEls.find(Boolean) || tokenEls[0];
  if (first) first.tabIndex = 0;
  tokenEls.forEach((span, k) => {
    const r = (t.redactions || [])[k];
    if (r && tokenEls.length === t.redactions.length) {
      Object.assign(span.dataset, { start: r.start, end: r.end });
      span.title = `Redacted ${r.entity.toUpperCase()}, ${clock(r.start)}–${clock(r.end)}: ${beepWord()} in the recording`;
    }
  });
  markLowConfidence();
  drawTimeline();
}

function markLowConfidence() {
  const threshold = Number($("#low-conf").value);
  for (const span of wordEls) {
    if (!span) continue;
    const c = span.dataset.confidence;
    const low = c !== undefined && Number(c) < threshold;
    span.classList.toggle("low", low);
    let mark = span.querySelector(".conf");
    if (low && !mark) {
      mark = el("span", { class: "conf", text: Number(c).toFixed(2).replace(/^0/, "") });
      span.append(mark);
      span.setAttribute("aria-label", `${span.firstChild.textContent} (low confidence ${Math.round(c * 100)}%)`);
    } else if (!low && mark) {
      mark.remove();
      span.removeAttribute("aria-label");
    }
    span.title = low ? `Confidence ${Math.round(c * 100)}%` : (span.classList.contains("token") ? span.title : "");
  }
}

function drawTimeline() {
  const line = $("#timeline");
  line.querySelectorAll(".range").forEach((r) => r.remove());
  const total = t.duration || audio.duration;
  if (!total) return;
  for (const r of t.redactions || []) {
    const mark = el("div", { class: "range", title: r.entity });
    mark.style.left = `${(r.start / total) * 100}%`;  // CSSOM: the CSP allows no style attributes
    mark.style.width = `${Math.max(0.4, ((r.end - r.start) / total) * 100)}%`;
    line.prepend(mark);
  }
}

// ----------------------------------------------------------------- audio and the clock
async function loadAudio() {
  $("#t-player").hidden = false;
  $("#now-redacted").textContent = "Loading the recording…";
  try {
    const blob = await api.audio(t.id);
    if (audioUrl) URL.revokeObjectURL(audioUrl);
    audioUrl = URL.createObjectURL(blob);
    audio.src = audioUrl;
    $("#now-redacted").textContent = "";
  } catch (err) {
    $("#now-redacted").textContent = `The recording is not available: ${err.message}`;
  }
}

/** Index of the word being spoken at `time`, or -1 between words. */
function wordAt(time) {
  const words = t.words || [];
  let lo = 0, hi = words.length - 1, found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (words[mid].start <= time) { found = mid; lo = mid + 1; } else hi = mid - 1;
  }
  return found >= 0 && time < words[found].end + LINGER_S ? found : -1;
}

function tick() {
  if (!t) return;
  const time = audio.currentTime;
  let next = -1, span = null;
  if (t.words) {
    next = wordAt(time);
    span = next >= 0 ? wordEls[next] : null;
  } else {
    span = tokenEls.find((s) => s.dataset.start && time >= Number(s.dataset.start) && time < Number(s.dataset.end)) || null;
    next = span ? tokenEls.indexOf(span) : -1;
  }
  if (next !== current) {
    document.querySelectorAll("#t-text .current").forEach((s) => s.classList.remove("current"));
    current = next;
    if (span) {
      span.classList.add("current");
      if ($("#follow").checked && !audio.paused) keepVisible(span);
    }
  }
  const total = t.duration || audio.duration;
  if (total) $("#timeline .cursor").style.left = `${Math.min(100, (time / total) * 100)}%`;
  const r = (t.redactions || []).find((x) => time >= x.start && time < x.end);
  const msg = r ? `${r.entity.toUpperCase()} redacted here (${clock(r.start)}–${clock(r.end)}), ${beepWord()} in the recording` : "";
  if ($("#now-redacted").textContent !== msg && !$("#now-redacted").textContent.startsWith("The recording")) $("#now-redacted").textContent = msg;
}

function keepVisible(span) {
  const box = span.getBoundingClientRect();
  const top = $("#t-player").getBoundingClientRect().bottom;
  if (box.top < top || box.bottom > window.innerHeight) span.scrollIntoView({ block: "center", behavior: "smooth" });
}

function loop() {
  tick();
  frame = audio.paused ? null : requestAnimationFrame(loop);
}

function seek(time) {
  if (!audio.src) return;
  audio.currentTime = time;
  const playing = audio.play();
  if (playing) playing.catch(() => {});
  tick();
}

audio.addEventListener("play", () => { if (!frame) frame = requestAnimationFrame(loop); });
audio.addEventListener("seeked", tick);
audio.addEventListener("timeupdate", tick);
audio.addEventListener("loadedmetadata", drawTimeline);

// clicks and keys on words
const textBox = $("#t-text");
function wordTime(span) { return span && span.dataset.start !== undefined ? Number(span.dataset.start) : null; }
textBox.addEventListener("click", (e) => {
  const span = e.target.closest(".w");
  if (span && wordTime(span) !== null) seek(wordTime(span));
});
textBox.addEventListener("keydown", (e) => {
  const span = e.target.closest(".w");
  if (!span) return;
  const all = [...textBox.querySelectorAll(".w")];
  const at = all.indexOf(span);
  const move = { ArrowRight: at + 1, ArrowDown: at + 1, ArrowLeft: at - 1, ArrowUp: at - 1, Home: 0, End: all.length - 1 }[e.key];
  if (move !== undefined) {
    e.preventDefault();
    const target = all[Math.max(0, Math.min(all.length - 1, move))];
    span.tabIndex = -1;
    target.tabIndex = 0;
    target.focus();
  } else if ((e.key === "Enter" || e.key === " ") && wordTime(span) !== null) {
    e.preventDefault();
    seek(wordTime(span));
  }
});
$("#low-conf").addEventListener("change", markLowConfidence);

// ----------------------------------------------------------------- downloads and delete
async function download(format) {
  if (!t) return;
  if (format === "json") return save(`${t.id}.json`, JSON.stringify(t, null, 2), "application/json");
  let text = null;
  try { text = await api.captions(t.id, format); } catch (err) { notify(`Could not download: ${err.message}`); return; }
  if (text === null) {
    text = format === "srt" ? srt(t) : vtt(t);
    notify(`${format.toUpperCase()} built in the browser from the transcript (this server has no /${format} endpoint).`);
  }
  save(`${t.id}.${format}`, text, format === "srt" ? "application/x-subrip" : "text/vtt");
}
for (const b of document.querySelectorAll("[data-download]")) b.addEventListener("click", () => download(b.dataset.download));

const dialog = $("#confirm-delete");
$("#t-delete").addEventListener("click", () => { dialog.returnValue = ""; dialog.showModal(); });
dialog.addEventListener("close", async () => {
  if (dialog.returnValue !== "delete" || !t) return $("#t-delete").focus();
  try {
    await api.remove(t.id);
    notify(`Deleted ${t.id}.`);
    go("#/");
  } catch (err) {
    notify(`Could not delete: ${err.message}`);
  }
});

// ----------------------------------------------------------------- view life
export function enter(transcriptId) {
  leave();
  id = transcriptId;
  t = null;
  $("#t-title").textContent = transcriptId;
  $("#t-state").replaceChildren(el("span", { class: "muted", text: "Loading…" }));
  $("#t-text").replaceChildren();
  $("#t-details").replaceChildren();
  $("#t-meta").replaceChildren();
  $("#t-hooks").replaceChildren();
  $("#t-player").hidden = true;
  load();
}

export function leave() {
  clearTimeout(timer);
  id = null;
  audio.pause();
  audio.removeAttribute("src");
  audio.load();
  if (audioUrl) { URL.revokeObjectURL(audioUrl); audioUrl = null; }
  if (frame) { cancelAnimationFrame(frame); frame = null; }
}
