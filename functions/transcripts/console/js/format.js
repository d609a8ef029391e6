// Formatting helpers and the client-side caption builder (used when the server has no
// /srt or /vtt endpoint): cues from word timings, else utterances, else the whole text.

export function clock(seconds) {
  if (seconds == null || !isFinite(seconds)) return "–";
  const s = Math.max(0, seconds);
  const m = Math.floor(s / 60);
  const rest = (s - m * 60).toFixed(1).padStart(4, "0");
  return `${m}:${rest}`;
}

export function duration(seconds) {
  if (seconds == null) return "–";
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600), m = Math.floor((s % 3600) / 60), r = s % 60;
  return h ? `${h}h ${m}m ${r}s` : m ? `${m}m ${r}s` : `${r}s`;
}

export function created(unix) {
  if (!unix) return "–";
  return new Date(unix * 1000).toLocaleString(undefined, { dateStyle: "medium", timeStyle: "short" });
}

export const LIMITS = { maxCueSeconds: 6, maxCueChars: 84, lineChars: 42 };

function stamp(seconds, sep) {
  const ms = Math.round(Math.max(0, seconds) * 1000);
  const h = Math.floor(ms / 3600000), m = Math.floor((ms % 3600000) / 60000);
  const s = Math.floor((ms % 60000) / 1000), r = ms % 1000;
  const p = (n, w = 2) => String(n).padStart(w, "0");
  return `${p(h)}:${p(m)}:${p(s)}${sep}${p(r, 3)}`;
}

function wrap(text) {
  if (text.length <= LIMITS.lineChars) return text;
  const mid = text.length / 2;
  let best = -1;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === " " && (best < 0 || Math.abs(i - mid) < Math.abs(best - mid))) best = i;
  }
  return best < 0 ? text : `${text.slice(0, best)}\n${text.slice(best + 1)}`;
}

/** [{start, end, text, speaker}] for a transcript object. */
export function cues(t) {
  const speakerAt = speakerLookup(t);
  if (t.words && t.words.length) {
    const out = [];
    let cur = null;
    for (const w of t.words) {
      const speaker = w.speaker ?? speakerAt(w.start);
      const text = cur ? `${cur.text} ${w.word}` : w.word;
      const tooLong = cur && (w.end - cur.start > LIMITS.maxCueSeconds || text.length > LIMITS.maxCueChars);
      if (!cur || tooLong || speaker !== cur.speaker) {
        if (cur) out.push(cur);
        cur = { start: w.start, end: w.end, text: w.word, speaker };
      } else {
        cur.text = text;
        cur.end = w.end;
      }
      if (/[.?!]$/.test(w.word)) { out.push(cur); cur = null; }
    }
    if (cur) out.push(cur);
    return out;
  }
  if (t.utterances && t.utterances.length) {
    return t.utterances.map((u) => ({ start: u.start, end: u.end, text: u.text, speaker: u.speaker }));
  }
  return t.text ? [{ start: 0, end: t.duration || 0, text: t.text, speaker: null }] : [];
}

function speakerLookup(t) {
  const utts = (t.diarize && t.utterances) || [];
  return (time) => {
    const u = utts.find((x) => time >= x.start - 0.01 && time < x.end + 0.01);
    return u ? u.speaker : null;
  };
}

function label(cue, diarize) {
  return diarize && cue.speaker != null ? `Speaker ${cue.speaker}: ` : "";
}

export function srt(t) {
  return cues(t).map((c, i) =>
    `${i + 1}\n${stamp(c.start, ",")} --> ${stamp(c.end, ",")}\n${wrap(label(c, t.diarize) + c.text)}\n`).join("\n");
}

const escapeVtt = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

export function vtt(t) {
  const body = cues(t).map((c) => {
    const voice = t.diarize && c.speaker != null ? `<v Speaker ${c.speaker}>` : "";
    return `${stamp(c.start, ".")} --> ${stamp(c.end, ".")}\n${voice}${escapeVtt(wrap(c.text))}\n`;
  }).join("\n");
  return `WEBVTT\n\n${body}`;
}
