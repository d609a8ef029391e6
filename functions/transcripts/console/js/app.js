// The console's shell: sign-in, hash routes (#/, #/new, #/t/<id>, #/live) and the shared notice.

import { api, session } from "./api.js";
import * as list from "./list.js";
import * as create from "./create.js";
import * as transcript from "./transcript.js";
import * as live from "./live.js";
import { $, clearStaleNotice, go, notify } from "./ui.js";

const VIEWS = { signin: null, list, new: create, transcript, live };
let active = null;

function show(name, arg) {
  if (active && active.leave) active.leave();
  for (const id of Object.keys(VIEWS)) $(`#view-${id}`).hidden = id !== name;
  for (const a of document.querySelectorAll("[data-nav]")) {
    if (a.dataset.nav === name) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
  $("#nav").hidden = name === "signin";
  active = VIEWS[name];
  if (active && active.enter) active.enter(arg);
}

function route() {
  if (!session.key) return show("signin");
  const hash = location.hash.replace(/^#/, "") || "/";
  const m = hash.match(/^\/t\/([^/?]+)/);
  if (m) return show("transcript", decodeURIComponent(m[1]));
  if (hash.startsWith("/new")) return show("new");
  if (hash.startsWith("/live")) return show("live");
  return show("list");
}

function focusMain() {
  const h1 = document.querySelector(".view:not([hidden]) h1");
  if (h1) { h1.tabIndex = -1; h1.focus({ preventScroll: true }); }
}

$("#signin-form").addEventListener("submit", async (e) => {
  e.preventDefault();
  const key = $("#signin-key").value.trim();
  const error = $("#signin-error");
  error.textContent = "";
  session.key = key;
  try {
    await api.models();  // any authenticated call tells whether the key is good
    $("#signin-key").value = "";
    notify("");
    route();
    focusMain();
  } catch (err) {
    session.key = null;
    error.textContent = err.status === 401 ? "That API key was not accepted." : `Could not sign in: ${err.message}`;
    $("#signin-key").focus();
  }
});

$("#signout").addEventListener("click", () => {
  session.key = null;
  notify("Signed out.");
  go("#/");
});

window.addEventListener("console:unauthorized", () => {
  session.key = null;
  notify("Your API key is no longer accepted; sign in again.");
  route();
});

window.addEventListener("hashchange", () => { clearStaleNotice(); route(); focusMain(); });
route();
