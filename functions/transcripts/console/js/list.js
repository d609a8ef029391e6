// The list of transcripts: filters, the API's cursor paging, live progress of running jobs.

import { api } from "./api.js";
import { created, duration } from "./format.js";
import { $, el } from "./ui.js";

const POLL_MS = 2000;
let cursor = null;        // cursor of the page shown (null: first page)
let nextCursor = null;
let timer = null;
let seq = 0;              // drops answers to superseded requests

function query() {
  const f = $("#filters");
  const day = (value, plus) => value ? Math.floor(new Date(`${value}T00:00:00`).getTime() / 1000) + plus : undefined;
  return {
    status: f.status.value || undefined,
    created_after: day(f.created_after.value, 0),
    created_before: day(f.created_before.value, 86400),
    limit: f.limit.value,
    cursor: cursor || undefined,
  };
}

function statusCell(t) {
  const cell = el("td", { dataset: { label: "Status" } }, el("span", { class: `badge ${t.status}`, text: t.status }));
  if (t.status === "processing" || t.status === "queued") {
    const bar = el("progress", { max: 1, "aria-label": `Progress of ${t.id}` });
    if (typeof t.progress === "number") {
      bar.value = t.progress;
      cell.append(el("span", { class: "sub", text: `${Math.round(t.progress * 100)}%` }));
    }
    cell.append(bar);
  } else if (t.status === "error" && t.error) {
    cell.append(el("span", { class: "sub", text: t.error.code }));
  }
  return cell;
}

function row(t) {
  const name = t.metadata && (t.metadata.name || t.metadata.external_id);
  return el("tr", { dataset: { id: t.id, status: t.status } },
    el("td", { class: "id", dataset: { label: "Transcript" } },
      el("a", { href: `#/t/${encodeURIComponent(t.id)}`, text: t.id }),
      name ? el("span", { class: "sub", text: name }) : null),
    statusCell(t),
    el("td", { dataset: { label: "Duration" }, text: duration(t.duration) }),
    el("td", { dataset: { label: "Language" }, text: t.language || "–" }),
    el("td", { dataset: { label: "Created" } }, el("time", { datetime: new Date(t.created * 1000).toISOString(), text: created(t.created) })));
}

async function load() {
  clearTimeout(timer);
  const mine = ++seq;
  let page;
  try {
    page = await api.list(query());
  } catch (err) {
    if (mine === seq) {
      $("#list-table tbody").replaceChildren();
      $("#list-empty").hidden = false;
      $("#list-empty").textContent = `Could not load the list: ${err.message}`;
    }
    return;
  }
  if (mine !== seq || $("#view-list").hidden) return;
  $("#list-table tbody").replaceChildren(...page.data.map(row));
  $("#list-empty").hidden = page.data.length > 0;
  $("#list-empty").replaceChildren(cursor ? "No more transcripts." : "No transcripts match. ",
    cursor ? "" : el("a", { href: "#/new", text: "Create one" }));
  nextCursor = page.has_more ? page.next_cursor : null;
  $("#page-next").disabled = !nextCursor;
  $("#page-first").disabled = !cursor;
  if (page.data.some((t) => t.status === "queued" || t.status === "processing")) timer = setTimeout(load, POLL_MS);
}

$("#filters").addEventListener("submit", (e) => { e.preventDefault(); cursor = null; load(); });
$("#page-next").addEventListener("click", () => { cursor = nextCursor; load(); });
$("#page-first").addEventListener("click", () => { cursor = null; load(); });

export function enter() { load(); }
export function leave() { clearTimeout(timer); seq++; }
