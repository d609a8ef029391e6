"""The web console in a real browser (Debian's Chromium driven by Playwright; nothing is
downloaded) against the real server: sign in, upload, watch it complete, play with the word
highlight on the audio clock, seek by click and keyboard, redaction tokens, speakers, every
create option, webhook attempts, downloads, delete, filters and paging, a phone width, Live.
Screenshots of the main views go to tests/artifacts/console/."""

from __future__ import annotations

import json
import re
import shutil
import time
from pathlib import Path

import pytest

from conftest import SAMPLE
from helpers import concat, espeak, silence

pytestmark = pytest.mark.e2e

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--autoplay-policy=no-user-gesture-required"]
ARTIFACTS = Path(__file__).parents[1] / "artifacts" / "console"
LINGER_S = 0.15  # transcript.js keeps a word highlighted this long after its end
CLOCK_SLACK_S = 0.12  # the highlight is redrawn each animation frame; the clock moves in between

# (channel, espeak voice, text): the turns of tests/e2e/test_redaction.py's call, agent left, caller right
CALL = [
    (0, "en-us", "Thanks for calling Contoso Bank. Can I have your full name please?"),
    (1, "en-gb", "Yes, my name is John Miller."),
    (0, "en-us", "Thank you. What is the card number?"),
    (1, "en-gb", "It is 4111 1111 1111 1111."),
]

if not Path(CHROMIUM).exists():
    raise RuntimeError("Debian's chromium is required: run tests/run.sh (it installs it with apt)")


@pytest.fixture(scope="module")
def playwright():
    """One Playwright driver for the module (its sync API allows one at a time)."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        yield p


@pytest.fixture(scope="module")
def browser(playwright):
    b = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield b
    b.close()


class Console:
    """One browser tab on the console, recording what it fetches and any script error."""

    def __init__(self, browser, server, width=1280, height=860):
        self.server = server
        self.context = browser.new_context(viewport={"width": width, "height": height}, accept_downloads=True)
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda r: self.requests.append(r.url))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))

    def open(self, hash_: str = "") -> "Console":
        self.page.goto(f"{self.server.url}/console{'/' + hash_ if hash_ else ''}")
        return self

    def sign_in(self, key: str) -> "Console":
        self.page.fill("#signin-key", key)
        self.page.click("#signin-form button[type=submit]")
        self.page.wait_for_selector("#view-signin", state="hidden")
        return self

    def shot(self, name: str, full_page: bool = False) -> None:
        self.page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=full_page)

    def audio(self, expr: str):
        return self.page.evaluate(f"(() => {{ const a = document.querySelector('#audio'); return {expr}; }})()")

    def close(self) -> None:
        """Everything came from this server (or the page's own blob: URLs): no CDN, no other host."""
        self.context.close()
        foreign = [u for u in self.requests if not u.startswith((self.server.url, "blob:", "data:"))]
        assert not foreign, foreign
        assert not self.errors, self.errors


def _until(page, expression: str, timeout_s: float = 10):
    """Poll an expression with page.evaluate (the console's CSP forbids the eval that
    wait_for_function would need)."""
    deadline = time.monotonic() + timeout_s
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise TimeoutError(expression)
        time.sleep(0.05)


def _wait_completed(page, timeout_s=150):
    page.wait_for_selector("#t-status:text-is('completed'), #t-status:text-is('error')", timeout=timeout_s * 1000)
    assert page.inner_text("#t-status") == "completed", page.inner_text("#t-state")


def _unlabelled_controls(page) -> list[str]:
    return page.evaluate("""() => [...document.querySelectorAll('input, select, textarea')]
        .filter(e => e.type !== 'hidden' && !e.labels.length && !e.getAttribute('aria-label'))
        .map(e => e.id || e.name || e.outerHTML)""")


CONTRAST_JS = """() => {
  const rgba = (c) => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const c = rgba(getComputedStyle(e).backgroundColor);
      const a = c.length > 3 ? c[3] : 1;
      if (a > 0) { layers.push([c[0], c[1], c[2], a]); if (a >= 1) break; }
    }
    let out = [255, 255, 255];
    for (const [r, g, b, a] of layers.reverse()) out = [r * a + out[0] * (1 - a), g * a + out[1] * (1 - a), b * a + out[2] * (1 - a)];
    return out;
  };
  const bad = [];
  for (const el of document.querySelectorAll('body *')) {
    if (!el.getClientRects().length || el.closest('[hidden], :disabled, .skip')) continue;
    if (![...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim())) continue;
    const st = getComputedStyle(el);
    if (st.visibility === 'hidden') continue;
    const [fg, bg] = [lum(rgba(st.color)), lum(background(el))];
    const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
    const size = parseFloat(st.fontSize), bold = Number(st.fontWeight) >= 700;
    const need = size >= 24 || (bold && size >= 18.66) ? 3 : 4.5;
    if (ratio < need) bad.push(`${el.tagName}.${el.className} "${el.textContent.trim().slice(0, 30)}" ${ratio.toFixed(2)}`);
  }
  return bad;
}"""


def _low_contrast(page) -> list[str]:
    """Visible text below WCAG AA contrast against its (composited) background."""
    return page.evaluate(CONTRAST_JS)


def test_upload_watch_play_seek_download_delete(browser, server, account, client):
    c = Console(browser, server).open()
    page = c.page
    assert page.url.endswith("/console/")  # /console redirects to the folder the relative assets need
    assert page.is_visible("#view-signin")
    assert _low_contrast(page) == []
    c.shot("sign-in")

    page.fill("#signin-key", "sk_not_a_key")
    page.click("#signin-form button[type=submit]")
    page.wait_for_selector("#signin-error:text('not accepted')")
    assert page.evaluate("sessionStorage.length") == 0

    c.sign_in(account["api_key"])
    assert page.evaluate("sessionStorage.getItem('transcripts.apiKey')") == account["api_key"]
    assert page.evaluate("localStorage.length") == 0 and c.context.cookies() == []
    assert account["api_key"] not in page.url

    page.click("a:text('New transcript')")
    page.wait_for_selector("#view-new:not([hidden])")
    assert _unlabelled_controls(page) == [] and _low_contrast(page) == []
    page.set_input_files("#c-file", str(SAMPLE))
    page.click("#meta-add")
    page.fill("#meta-k1", "name")
    page.fill("#meta-v1", "jfk sample")
    c.shot("new")
    page.click("#create-submit")

    page.wait_for_selector("#view-transcript:not([hidden])")
    job_id = page.inner_text("#t-title")
    assert job_id.startswith("transcript_")
    # while it runs: a progress bar (a fraction where the API gives `progress`, else indeterminate),
    # on the transcript and in the list, which refreshes itself until the job is done
    page.wait_for_selector("#t-state progress", timeout=5_000)
    page.click("nav a[data-nav=list]")
    row = page.locator(f"#list-table tr[data-id='{job_id}']")
    row.locator("progress").wait_for(timeout=5_000)
    c.shot("list-running")
    row.locator(".badge.completed").wait_for(timeout=150_000)
    assert row.locator("progress").count() == 0
    cells = row.locator("td").all_inner_texts()
    assert cells[2] == "11s" and cells[3] == "en" and "jfk sample" in cells[0]
    row.locator("a").click()
    page.wait_for_selector("#view-transcript:not([hidden])")
    _wait_completed(page)
    job = client.http.get(f"/v1/transcripts/{job_id}").json()
    assert job["metadata"] == {"name": "jfk sample"} and job["word_timestamps"] is True
    words = job["words"]
    assert len(words) > 15 and page.locator("#t-text .w").count() == len(words)
    assert page.inner_text("#t-meta") == "name\njfk sample"
    assert "11s" in page.inner_text("#t-details")

    _until(page, "document.querySelector('#audio').duration > 10", 20)
    assert _low_contrast(page) == []
    c.shot("transcript", full_page=True)

    # play: the highlighted word is the one under the audio clock, and it moves along
    c.audio("a.play()")
    seen, samples = set(), 0
    deadline = time.monotonic() + 8.0  # a busy machine answers slowly; the audio clock is what counts
    while time.monotonic() < deadline and c.audio("a.currentTime") < 3.0:
        now, cur = page.evaluate("""() => { const s = document.querySelector('#t-text .w.current');
            return [document.querySelector('#audio').currentTime, s ? Number(s.dataset.i) : null]; }""")
        if cur is not None:
            w = words[cur]
            assert w["start"] - CLOCK_SLACK_S <= now <= w["end"] + LINGER_S + CLOCK_SLACK_S, (now, w)
            seen.add(cur)
            samples += 1
        time.sleep(0.08)
    assert c.audio("a.currentTime") >= 3.0  # the clock really ran
    assert samples >= 8 and len(seen) >= 4, (samples, seen)
    assert min(seen) <= 4  # it started at the start

    # a click on a word seeks there
    c.audio("a.pause()")
    target = words[12]
    page.click(f"#t-text .w[data-i='12']")
    at = c.audio("(a.pause(), a.currentTime)")
    assert target["start"] <= at < target["start"] + 1.0, (at, target)
    page.wait_for_selector("#t-text .w.current")
    assert int(page.get_attribute("#t-text .w.current", "data-i")) in (12, 13)

    # keyboard: arrows move between words, Enter seeks
    page.focus("#t-text .w[data-i='0']")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Enter")
    at = c.audio("(a.pause(), a.currentTime)")
    assert page.evaluate("document.activeElement.dataset.i") == "2"
    assert words[2]["start"] <= at < words[2]["start"] + 1.0, (at, words[2])

    # downloads: JSON as the API gives it; SRT and VTT from the API's endpoints where this
    # server has them, else built in the browser from the words
    with page.expect_download() as info:
        page.click("[data-download=json]")
    assert json.loads(Path(info.value.path()).read_text())["words"] == words
    server_srt = client.http.get(f"/v1/transcripts/{job_id}/srt").status_code == 200
    with page.expect_download() as info:
        page.click("[data-download=srt]")
    assert info.value.suggested_filename == f"{job_id}.srt"
    srt = Path(info.value.path()).read_text()
    shutil.copy(info.value.path(), ARTIFACTS / "jfk.srt")
    cues = [block.split("\n") for block in srt.strip().split("\n\n")]
    assert [int(cue[0]) for cue in cues] == list(range(1, len(cues) + 1))
    stamps = [re.fullmatch(r"(\d\d):(\d\d):(\d\d),(\d{3}) --> (\d\d):(\d\d):(\d\d),(\d{3})", cue[1]) for cue in cues]
    assert all(stamps), srt
    assert re.sub(r"\W+", " ", " ".join(" ".join(cue[2:]) for cue in cues)).lower().split() == \
        re.sub(r"\W+", " ", " ".join(w["word"] for w in words)).lower().split()
    if not server_srt:
        assert "built in the browser" in page.inner_text("#notice")
        first = stamps[0].groups()
        assert int(first[2]) + int(first[3]) / 1000 == pytest.approx(words[0]["start"], abs=0.001)
    with page.expect_download() as info:
        page.click("[data-download=vtt]")
    vtt = Path(info.value.path()).read_text()
    assert vtt.startswith("WEBVTT\n\n") and " --> " in vtt and "Americans" in vtt

    # delete: cancel keeps it, confirm deletes it for good
    page.click("#t-delete")
    assert page.is_visible("#confirm-delete")
    c.shot("delete-confirm")
    page.keyboard.press("Escape")
    assert not page.is_visible("#confirm-delete")
    assert client.http.get(f"/v1/transcripts/{job_id}").status_code == 200
    page.click("#t-delete")
    page.click("#confirm-yes")
    page.wait_for_selector("#view-list:not([hidden])")
    assert f"Deleted {job_id}" in page.inner_text("#notice")
    assert client.http.get(f"/v1/transcripts/{job_id}").status_code == 404
    page.wait_for_selector("#list-empty:not([hidden])")
    c.close()


@pytest.fixture(scope="module")
def redaction_call(audio_dir):
    """A two-party call as a stereo recording, agent left and caller right (each channel silent
    while the other talks), so the speakers come from the channels (multichannel) and no
    diarization model has to load."""
    import subprocess
    import wave

    out = audio_dir / "console-call.wav"
    if out.exists():
        return out
    channels = ([], [])
    for k, (channel, voice, text) in enumerate(CALL):
        turn = concat(audio_dir / f"console-turn{k}.wav", espeak(text, audio_dir / f"console-turn{k}-raw.wav", voice=voice))
        with wave.open(str(turn)) as w:
            seconds = w.getnframes() / w.getframerate()
        quiet = silence(audio_dir / f"console-quiet{k}.wav", seconds)
        gap = silence(audio_dir / "console-gap.wav", 0.6)
        channels[channel].extend([turn, gap])
        channels[1 - channel].extend([quiet, gap])
    left = concat(audio_dir / "console-left.wav", *channels[0])
    right = concat(audio_dir / "console-right.wav", *channels[1])
    subprocess.run(["sox", "-M", str(left), str(right), str(out)], check=True)
    return out


def test_every_option_redaction_tokens_speakers_and_deliveries(browser, server, account, client, peer,
                                                               redaction_call):
    """A call created with every option. Its file goes the way files over the form's direct
    limit (4 MB: API Gateway's cap) go, lowered here for a short clip: a presigned PUT from
    POST /v1/uploads, then a job on its upload:// URL."""
    c = Console(browser, server).open("#/new").sign_in(account["api_key"])
    page = c.page
    sent = []
    page.on("request", lambda r: sent.append((r.method, r.url.split("?")[0].replace(server.url, ""))))
    page.wait_for_selector("#view-new:not([hidden])")
    page.wait_for_selector("#c-model option[value='whisper-base']", state="attached")

    page.evaluate("document.querySelector('#create-form').dataset.directLimit = '1000'")
    page.set_input_files("#c-file", str(redaction_call))
    page.select_option("#c-model", "whisper-base")
    page.fill("#c-language", "en")
    page.fill("#c-vocab", "Contoso\nMiller")
    assert page.is_disabled("#c-expected")
    page.check("#c-diarize")
    page.check("#c-multichannel")
    assert page.is_disabled("#c-expected")  # with channels as speakers, hints make no sense
    assert page.is_disabled("#c-audio-mode")
    page.check("#c-pii")
    page.check("#c-pci")
    page.select_option("#c-audio-mode", "beep")
    page.fill("#c-webhook", peer.url + "/hooks")
    page.click("#meta-add")
    page.fill("#meta-k1", "external_id")
    page.fill("#meta-v1", "call-7")
    page.click("#meta-add")
    page.fill("#meta-k2", "team")
    page.fill("#meta-v2", "support")
    page.click("#create-submit")
    page.wait_for_selector("#view-transcript:not([hidden])")
    job_id = page.inner_text("#t-title")
    assert ("POST", "/v1/uploads") in sent and ("POST", "/v1/transcripts") in sent
    assert any(m == "PUT" and u.startswith("/v1/uploads/content/") for m, u in sent)
    queued = client.http.get(f"/v1/transcripts/{job_id}").json()
    for field, want in {"model": "whisper-base", "language": "en", "vocabulary": ["Contoso", "Miller"],
                        "diarize": True, "multichannel": True, "redact": ["pci", "pii"],
                        "redact_audio_mode": "beep", "word_timestamps": True, "webhook_url": peer.url + "/hooks",
                        "metadata": {"external_id": "call-7", "team": "support"}}.items():
        assert queued[field] == want, field
    _wait_completed(page)
    job = client.http.get(f"/v1/transcripts/{job_id}").json()

    # speakers: one block per utterance, a colour per speaker
    speakers = {u["speaker"] for u in job["utterances"]}
    assert len(speakers) == 2, job["utterances"]
    blocks = page.locator("#t-text .utt")
    assert blocks.count() == len(job["utterances"])
    colours = page.evaluate("""() => [...document.querySelectorAll('#t-text .utt')].map(u =>
        [u.dataset.speaker, getComputedStyle(u).borderLeftColor])""")
    assert len({c for _, c in colours}) == 2 and len({(s, c) for s, c in colours}) == 2

    # redaction: the tokens stand in the text; the ranges are marked on the timeline; while the
    # clock is inside a beeped range the token under it is highlighted and named
    tokens = page.locator("#t-text .w.token")
    token_words = [w for w in job["words"] if w["word"].startswith(("[PII]", "[PCI]"))]
    assert tokens.count() == len(token_words) >= 2, job["text"]
    assert {t.split()[0].rstrip(".,") for t in tokens.all_inner_texts()} >= {"[PII]", "[PCI]"}, job["text"]
    assert "miller" not in page.inner_text("#t-text").lower() and "4111" not in page.inner_text("#t-text")
    assert page.locator("#timeline .range").count() == len(job["redactions"])
    _until(page, "document.querySelector('#audio').duration > 5", 20)
    card = next(w for w in token_words if w["word"].startswith("[PCI]"))
    i = job["words"].index(card)
    page.click(f"#t-text .w[data-i='{i}']")
    c.audio("a.pause()")
    page.wait_for_selector(f"#t-text .w[data-i='{i}'].current")
    assert "PCI redacted here" in page.inner_text("#now-redacted")
    assert "beeped" in page.get_attribute(f"#t-text .w[data-i='{i}']", "title")

    # low-confidence marks follow the chosen threshold
    page.select_option("#low-conf", "0.85")
    low = [w for w in job["words"] if w["confidence"] is not None and w["confidence"] < 0.85
           and not w["word"].startswith("[")]
    assert page.locator("#t-text .w.low").count() == len(low)
    page.select_option("#low-conf", "0")
    assert page.locator("#t-text .w.low").count() == 0
    page.select_option("#low-conf", "0.85")

    # the webhook delivery with its attempt
    page.wait_for_selector("#t-hooks td:text('HTTP 200')", timeout=20_000)
    assert "transcript.completed" in page.inner_text("#t-hooks")
    assert page.inner_text("#t-meta") == "external_id\ncall-7\nteam\nsupport"
    assert _low_contrast(page) == []
    c.shot("transcript-redacted", full_page=True)
    c.close()

    phone = Console(browser, server, width=390, height=844).open(f"#/t/{job_id}").sign_in(account["api_key"])
    _wait_completed(phone.page)
    phone.page.wait_for_selector("#t-text .w.token")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("transcript-phone", full_page=True)
    phone.close()


def test_list_status_filters_paging_and_phone_width(browser, server, new_client, peer):
    key = server.create_key()["api_key"]
    from helpers import Client

    api = Client(server.url, key)
    # one job by URL through the form; the URL is gone, so it ends in a visible error
    c = Console(browser, server).open("#/new").sign_in(key)
    page = c.page
    page.check("#src-url")
    assert page.is_hidden("#c-file") and page.is_visible("#c-url")
    page.fill("#c-url", f"{peer.url}/gone-0.wav")
    page.check("#c-diarize")
    page.fill("#c-expected", "2")
    page.click("#create-submit")
    page.wait_for_selector("#view-transcript:not([hidden])")
    failing = [page.inner_text("#t-title")]
    queued = api.http.get(f"/v1/transcripts/{failing[0]}").json()
    assert queued["diarize"] is True and queued["speakers_expected"] == 2 and queued["multichannel"] is False
    page.wait_for_selector("#t-status:text-is('error')", timeout=60_000)
    assert "audio_fetch_failed" in page.inner_text("#t-state")
    assert page.is_hidden("#t-player") and page.is_disabled("[data-download=srt]")
    failing += [api.http.post("/v1/transcripts", json={"audio_url": f"{peer.url}/gone-{k}.wav"}).json()["id"]
                for k in range(1, 11)]
    page.click("nav a[data-nav=list]")
    # the running jobs show their progress until they end (here, as errors: the URL is gone)
    page.wait_for_selector("#list-table tbody tr")
    for job_id in failing:
        api.wait(job_id, timeout=60)
    _until(page, "document.querySelectorAll('#list-table progress').length === 0", 10)
    first = page.locator("#list-table tbody tr")
    assert first.count() == 11
    row = page.locator(f"#list-table tr[data-id='{failing[-1]}']")
    assert row.locator("td").nth(1).inner_text().startswith("error")
    assert "fetch" in row.inner_text() or "audio" in row.inner_text()

    page.select_option("#f-limit", "10")
    page.click("#filters button[type=submit]")
    _until(page, "document.querySelectorAll('#list-table tbody tr').length === 10")
    ids_page1 = page.eval_on_selector_all("#list-table tbody tr", "rs => rs.map(r => r.dataset.id)")
    assert ids_page1 == failing[::-1][:10]  # newest first
    assert page.is_enabled("#page-next") and page.is_disabled("#page-first")
    page.click("#page-next")
    _until(page, "document.querySelectorAll('#list-table tbody tr').length === 1")
    assert page.get_attribute("#list-table tbody tr", "data-id") == failing[0]
    assert page.is_disabled("#page-next")
    page.click("#page-first")
    _until(page, "document.querySelectorAll('#list-table tbody tr').length === 10")

    page.select_option("#f-status", "completed")
    page.click("#filters button[type=submit]")
    page.wait_for_selector("#list-empty:not([hidden])")
    assert page.locator("#list-table tbody tr").count() == 0
    page.select_option("#f-status", "error")
    tomorrow = time.strftime("%Y-%m-%d", time.localtime(time.time() + 86400))
    page.fill("#f-after", tomorrow)
    page.click("#filters button[type=submit]")
    page.wait_for_selector("#list-empty:not([hidden])")
    page.fill("#f-after", "")
    page.click("#filters button[type=submit]")
    _until(page, "document.querySelectorAll('#list-table tbody tr').length === 10")
    c.shot("list")
    assert _unlabelled_controls(page) == [] and _low_contrast(page) == []
    c.close()

    phone = Console(browser, server, width=390, height=844).open().sign_in(key)
    phone.page.wait_for_selector("#list-table tbody tr")
    assert phone.page.evaluate("document.documentElement.scrollWidth") <= 390
    phone.shot("list-phone")
    phone.close()


@pytest.fixture(scope="module")
def mic_browser(playwright, audio_dir):
    """Chromium whose microphone plays a spoken clip (its fake capture device, looped)."""
    clip = concat(audio_dir / "console-mic.wav", espeak("Hello from the microphone.", audio_dir / "console-mic-raw.wav"),
                  silence(audio_dir / "console-mic-gap.wav", 0.3), rate=48000)
    args = CHROMIUM_ARGS + ["--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream",
                            f"--use-file-for-fake-audio-capture={clip}"]
    b = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
    yield b
    b.close()


def test_live_client_speaks_the_realtime_contract(mic_browser, server, account):
    """The browser half of Live, against the contract of the real-time endpoint (token from
    POST /v1/realtime/tokens; binary pcm_s16le frames; {"type": "end"}; partial/final/done
    back), played by the test where that endpoint is not on this server: the microphone's
    audio must arrive as 16 kHz PCM, partials replace each other, finals stay, done links."""
    import numpy as np

    c = Console(mic_browser, server)
    page = c.page
    frames: list[bytes] = []
    texts: list[dict] = []
    sockets = []

    page.route("**/v1/realtime/tokens", lambda route: route.fulfill(
        status=200, content_type="application/json",
        body=json.dumps({"token": "rt_test_token", "expires_at": int(time.time()) + 60})))

    def on_socket(ws):
        sockets.append(ws.url)

        def on_message(message):
            if isinstance(message, bytes):
                frames.append(message)
                if len(frames) == 5:
                    ws.send(json.dumps({"type": "partial", "text": "hello from", "start": 0.0}))
                if len(frames) == 10:
                    ws.send(json.dumps({"type": "partial", "text": "hello from the micro", "start": 0.0}))
                if len(frames) == 15:
                    ws.send(json.dumps({"type": "final", "text": "Hello from the microphone.", "start": 0.0,
                                        "end": 1.4, "confidence": 0.93}))
            else:
                texts.append(json.loads(message))
                ws.send(json.dumps({"type": "done", "text": "Hello from the microphone.", "duration": 2.0,
                                    "transcript_id": "transcript_live1"}))

        ws.on_message(on_message)

    page.route_web_socket(re.compile(r".*/v1/audio/transcriptions.*"), on_socket)
    c.open("#/live").sign_in(account["api_key"])
    page.wait_for_selector("#view-live:not([hidden])")
    assert page.is_enabled("#live-start")
    page.fill("#live-language", "en")
    page.click("#live-start")
    page.wait_for_selector("#live-partial:text('hello from the micro')", timeout=15_000)
    page.wait_for_selector("#live-final:has-text('Hello from the microphone.')", timeout=15_000)
    assert page.inner_text("#live-partial") == ""
    c.shot("live-running")
    page.click("#live-stop")
    page.wait_for_selector("#live-done a[href='#/t/transcript_live1']")

    url = sockets[0]
    assert url.startswith(server.url.replace("http://", "ws://") + "/v1/audio/transcriptions?")
    query = dict(p.split("=", 1) for p in url.split("?", 1)[1].split("&"))
    assert query == {"token": "rt_test_token", "sample_rate": "16000", "encoding": "pcm_s16le", "language": "en"}
    assert texts == [{"type": "end"}]
    assert len(frames) >= 15 and all(len(f) == 3200 for f in frames)  # 100 ms of 16-bit mono at 16 kHz
    pcm = np.frombuffer(b"".join(frames), "<i2").astype(np.float32)
    assert np.sqrt(np.mean(pcm ** 2)) > 300  # speech, not silence
    assert not page.evaluate("document.querySelector('#live-stop').disabled === false")
    c.close()


def test_live_on_this_server(mic_browser, server, account, client):
    """Live against this server itself: where it has no real-time endpoint (404 for a token),
    the view says so and Start stays disabled; where it has one, the microphone's clip comes
    back as text."""
    c = Console(mic_browser, server).open("#/live").sign_in(account["api_key"])
    page = c.page
    page.wait_for_selector("#view-live:not([hidden])")
    token = client.http.post("/v1/realtime/tokens", json={})
    if token.status_code == 404:
        page.wait_for_selector("#live-unavailable:not([hidden])")
        assert "not available on this server" in page.inner_text("#live-unavailable")
        assert page.is_disabled("#live-start")
        c.shot("live")
    else:
        assert token.status_code == 200, token.text
        page.click("#live-start")
        page.wait_for_selector("#live-final .final", timeout=60_000)
        # The fake microphone loops the clip, so the stream may start mid-word and the first final be
        # a fragment ("mycrythome"): wait (a bounded time) until the finals carry the clip's words.
        clip_words = {"hello", "from", "the", "microphone"}
        deadline = time.monotonic() + 60
        while True:
            heard = set(page.inner_text("#live-final").lower().replace(".", " ").replace(",", " ").split())
            if len(heard & clip_words) >= 2 or time.monotonic() > deadline:
                break
            page.wait_for_timeout(500)
        page.click("#live-stop")
        page.wait_for_selector("#live-done:not([hidden])", timeout=60_000)
        assert len(heard & clip_words) >= 2, heard
        c.shot("live")
    c.close()
