// Live: the microphone through the real-time WebSocket (GET /v1/audio/transcriptions with a
// short-lived token from POST /v1/realtime/tokens). Where the server has no such endpoint the
// view says so and stays disabled.

import { api, apiBase } from "./api.js";
import { $, el } from "./ui.js";

const RATE = 16000;
let ws = null, ctx = null, stream = null, node = null;
let available = null;

function status(text) { $("#live-status").textContent = text; }

async function checkAvailable() {
  // A token is cheap and short-lived; asking for one tells whether this server streams.
  try {
    return await api.realtimeToken();
  } catch (err) {
    if (err.status === 404 || err.status === 405) {
      available = false;
      $("#live-unavailable").textContent = "Live transcription is not available on this server (it has no real-time endpoint).";
      $("#live-unavailable").hidden = false;
      $("#live-start").disabled = true;
      return null;
    }
    throw err;
  }
}

function socketUrl(token) {
  // The token answer may name the streaming host (on AWS the GPU data plane serves it).
  const base = token.url ? new URL(token.url, apiBase + "/") : new URL(apiBase + "/v1/audio/transcriptions");
  base.protocol = base.protocol === "https:" ? "wss:" : base.protocol === "http:" ? "ws:" : base.protocol;
  base.searchParams.set("token", token.token);
  base.searchParams.set("sample_rate", RATE);
  base.searchParams.set("encoding", "pcm_s16le");
  const language = $("#live-language").value.trim();
  if (language) base.searchParams.set("language", language.toLowerCase());
  return base.href;
}

function addFinal(msg) {
  const text = (msg.text || "").trim();
  if (!text) return;
  const span = el("span", { class: "final", dataset: { start: msg.start, end: msg.end }, text: text + " " });
  if (msg.confidence != null) span.title = `Confidence ${Math.round(msg.confidence * 100)}%`;
  $("#live-final").append(span);
  $("#live-partial").textContent = "";
}

function onMessage(e) {
  let msg;
  try { msg = JSON.parse(e.data); } catch { return; }
  if (msg.type === "partial") $("#live-partial").textContent = msg.text || "";
  else if (msg.type === "final") addFinal(msg);
  else if (msg.type === "error") status(`Error: ${msg.code}: ${msg.message}`);
  else if (msg.type === "done") {
    const done = $("#live-done");
    done.replaceChildren(`Done: ${(msg.duration || 0).toFixed(1)} s of audio.`,
      msg.transcript_id ? " " : "", msg.transcript_id ? el("a", { href: `#/t/${encodeURIComponent(msg.transcript_id)}`, text: "Open the saved transcript" }) : "");
    done.hidden = false;
    status("Finished.");
    ws.close();
  }
}

async function start() {
  $("#live-done").hidden = true;
  $("#live-final").replaceChildren();
  $("#live-partial").textContent = "";
  $("#live-start").disabled = true;
  try {
    const token = await checkAvailable();
    if (!token) return;
    status("Asking for the microphone…");
    stream = await navigator.mediaDevices.getUserMedia({ audio: { channelCount: 1, echoCancellation: true, noiseSuppression: true } });
    ctx = new AudioContext();
    await ctx.audioWorklet.addModule(new URL("./pcm-worklet.js", import.meta.url));
    node = new AudioWorkletNode(ctx, "pcm-writer", { processorOptions: { targetRate: RATE } });
    ws = new WebSocket(socketUrl(token));
    ws.binaryType = "arraybuffer";
    ws.onmessage = onMessage;
    ws.onclose = (e) => { if (ctx) cleanup(); if (e.code !== 1000 && e.code !== 1005) status(`Connection closed (${e.code}${e.reason ? `: ${e.reason}` : ""}).`); };
    ws.onerror = () => status("The connection failed.");
    await new Promise((resolve, reject) => { ws.onopen = resolve; setTimeout(() => reject(new Error("timed out connecting")), 10000); });
    node.port.onmessage = (m) => { if (ws && ws.readyState === WebSocket.OPEN) ws.send(m.data); };
    ctx.createMediaStreamSource(stream).connect(node);
    status("Listening… speak now.");
    $("#live-stop").disabled = false;
  } catch (err) {
    status(`Could not start: ${err.message}`);
    cleanup();
    if (ws) ws.close();
  }
}

function stop() {
  $("#live-stop").disabled = true;
  if (ws && ws.readyState === WebSocket.OPEN) {
    ws.send(JSON.stringify({ type: "end" }));
    status("Finishing…");
  }
  cleanup();
}

function cleanup() {
  if (node) { node.port.onmessage = null; node.disconnect(); node = null; }
  if (stream) { stream.getTracks().forEach((tr) => tr.stop()); stream = null; }
  if (ctx) { ctx.close(); ctx = null; }
  $("#live-stop").disabled = true;
  $("#live-start").disabled = available === false;
}

$("#live-start").addEventListener("click", start);
$("#live-stop").addEventListener("click", stop);

export async function enter() {
  if (available === null) {
    try { if (await checkAvailable()) available = true; } catch { /* shown when Start is pressed */ }
  }
}

export function leave() {
  if (ws && ws.readyState === WebSocket.OPEN) stop();
}
