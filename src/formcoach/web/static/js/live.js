// The live page: the camera's picture goes to the server as JPEG frames (at most 640 px long, with
// their capture times) over a WebSocket; the server's events come back and are shown in large type
// and spoken. Frames are dropped here too, never queued: one frame in flight, none while the
// socket's buffer is full. The protocol is in formcoach/web/live.py.
const MAX_SIDE = 640;
const MIN_FRAME_MS = 1000 / 30;
const MAX_BUFFERED = 256 * 1024;
const JPEG_QUALITY = 0.7;

const $ = (id) => document.getElementById(id);
const root = $("live");
const el = {
  setup: $("setup"), coach: $("coach"), end: $("end"), start: $("start"), stop: $("stop"),
  problem: $("problem"), left: $("reps-left"), right: $("reps-right"), setLine: $("set-line"),
  cue: $("cue"), placement: $("placement"), rest: $("rest"), restSeconds: $("rest-seconds"),
  restNext: $("rest-next"), preview: $("preview"), person: $("person"), view: $("view"),
  frames: $("frames"), voice: $("voice"), voiceSetup: $("voice-setup"), saveVideo: $("save-video"),
  summary: $("summary"), workOn: $("work-on"), workOnTitle: $("work-on-title"), saving: $("saving"), saved: $("saved"),
};

let socket = null;
let stream = null;
let capturing = false;
let ended = false;
let restTimer = null;

// ---- voice: one utterance at a time, never over itself; a backlog keeps only the newest two ----
const speech = { queue: [], speaking: false, guard: null };

function say(text) {
  if (!text || !el.voice.checked || !("speechSynthesis" in window)) return;
  speech.queue.push(text);
  while (speech.queue.length > 2) speech.queue.shift();
  pump();
}

function pump() {
  if (speech.speaking || !speech.queue.length) return;
  const utterance = new SpeechSynthesisUtterance(speech.queue.shift());
  utterance.rate = 1.05;
  speech.speaking = true;
  const done = () => {
    clearTimeout(speech.guard);
    if (!speech.speaking) return;
    speech.speaking = false;
    pump();
  };
  utterance.onend = done;
  utterance.onerror = done;
  speech.guard = setTimeout(done, 8000); // a voice that never says it finished must not mute the rest
  window.speechSynthesis.speak(utterance);
}

el.voice.addEventListener("change", () => {
  if (!el.voice.checked && "speechSynthesis" in window) {
    speech.queue = [];
    window.speechSynthesis.cancel();
  }
});

// ---- what the server says ----
function showProgress(progress) {
  el.left.textContent = String(progress.left);
  el.right.textContent = String(progress.right);
  el.setLine.textContent = `Set ${progress.set} of ${progress.sets}`;
}

function showCue(text, praise) {
  el.cue.textContent = text || "";
  el.cue.classList.toggle("praise", Boolean(praise));
}

function onRep(event) {
  stopRest();
  showProgress(event.progress);
  const leg = event.leg === "left" ? "Left" : "Right";
  const count = event.leg === "left" ? event.progress.left : event.progress.right;
  if (event.cue) showCue(event.cue, false);
  else if (event.praise) showCue(event.praise, true);
  else showCue("", false);
  say([`${leg} ${count}.`, event.praise, event.cue].filter(Boolean).join(" "));
}

function onSet(event) {
  showCue("", false);
  el.setLine.textContent = event.last ? "All sets done" : `Set ${event.set} done`;
  if (event.last || !event.rest_s) {
    say(`Set ${event.set} done. That was the last set.`);
    return;
  }
  say(`Set ${event.set} done. Rest ${Math.round(event.rest_s)} seconds.`);
  startRest(event.rest_s, event.progress);
}

function startRest(seconds, next) {
  stopRest();
  let left = Math.round(seconds);
  el.rest.hidden = false;
  el.restSeconds.textContent = String(left);
  el.restNext.textContent = `Then set ${next.set} of ${next.sets}`;
  restTimer = setInterval(() => {
    left -= 1;
    el.restSeconds.textContent = String(Math.max(left, 0));
    if (left <= 0) {
      stopRest();
      say(`Set ${next.set}. Go when you are ready.`);
    }
  }, 1000);
}

function stopRest() {
  if (restTimer) clearInterval(restTimer);
  restTimer = null;
  el.rest.hidden = true;
}

function onPlacement(event) {
  el.placement.replaceChildren(...event.advice.map((text) => {
    const item = document.createElement("li");
    item.textContent = text;
    return item;
  }));
}

function onView(event) {
  const name = event.view === "unknown" ? "" : `${event.view[0].toUpperCase()}${event.view.slice(1)} view`;
  el.view.textContent = name ? `· ${name}` : "";
  el.view.title = event.cannot_judge.length ? `Cannot judge from here: ${event.cannot_judge.join(", ")}` : "";
}

function onFrames(event) {
  el.frames.hidden = event.dropped === 0;
  const lag = event.lag_s > 0.5 ? `, ${event.lag_s.toFixed(1)} s behind` : "";
  el.frames.textContent = `Keeping up: ${event.dropped} frames dropped${lag}`;
}

function onSummary(event) {
  ended = true;
  stopCapture();
  el.coach.hidden = true;
  el.end.hidden = false;
  window.scrollTo(0, 0);
  el.summary.textContent = `${event.reps} reps: left ${event.left}, right ${event.right}.`;
  el.workOn.replaceChildren(...event.work_on.map((text) => {
    const item = document.createElement("li");
    item.textContent = text;
    return item;
  }));
  el.workOnTitle.hidden = event.work_on.length === 0;
  say(`Session over. ${event.reps} reps.`);
}

function onSaved(event) {
  el.saving.hidden = true;
  el.saved.href = event.url;
  el.saved.hidden = false;
}

function problem(text) {
  el.problem.textContent = text;
  el.problem.hidden = false;
  el.setup.hidden = false;
  el.coach.hidden = true;
  stopCapture();
}

const handlers = {
  ready: () => startCapture(),
  person: (e) => { el.person.textContent = e.visible ? "I can see you" : "I can't see you"; },
  placement: onPlacement, view: onView, rep: onRep, set: onSet, frames: onFrames,
  summary: onSummary, saved: onSaved,
  busy: (e) => problem(e.message),
  error: (e) => { if (ended) { el.saving.textContent = e.message; } else { problem(e.message); } },
  rejected: () => {},
};

// ---- the camera and the frames ----
function startCapture() {
  capturing = true;
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d");
  let inFlight = false;
  let last = 0;
  const header = new DataView(new ArrayBuffer(8));
  const next = () => {
    if (!capturing) return;
    if ("requestVideoFrameCallback" in el.preview) el.preview.requestVideoFrameCallback(grab);
    else requestAnimationFrame(grab);
  };
  const grab = (now) => {
    const w = el.preview.videoWidth;
    const h = el.preview.videoHeight;
    if (!w || !h || inFlight || now - last < MIN_FRAME_MS - 2
        || socket.readyState !== WebSocket.OPEN || socket.bufferedAmount > MAX_BUFFERED) {
      next();
      return;
    }
    const scale = Math.min(1, MAX_SIDE / Math.max(w, h));
    canvas.width = Math.round(w * scale);
    canvas.height = Math.round(h * scale);
    const captured = performance.timeOrigin + performance.now();
    context.drawImage(el.preview, 0, 0, canvas.width, canvas.height);
    last = now;
    inFlight = true;
    canvas.toBlob((blob) => {
      inFlight = false;
      if (blob && capturing && socket.readyState === WebSocket.OPEN) {
        header.setFloat64(0, captured, true);
        socket.send(new Blob([header.buffer.slice(0), blob]));
      }
    }, "image/jpeg", JPEG_QUALITY);
    next();
  };
  next();
}

function stopCapture() {
  capturing = false;
  if (stream) stream.getTracks().forEach((track) => track.stop());
  stream = null;
}

function connect(facing) {
  const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
  socket = new WebSocket(`${scheme}//${window.location.host}/live/ws`);
  socket.addEventListener("open", () => {
    socket.send(JSON.stringify({ type: "start", facing, save_video: el.saveVideo.checked }));
  });
  socket.addEventListener("message", (message) => {
    if (typeof message.data !== "string") return;
    const event = JSON.parse(message.data);
    (handlers[event.type] || (() => {}))(event);
  });
  socket.addEventListener("close", () => {
    stopCapture();
    if (!ended && el.problem.hidden) problem("The connection to formcoach closed. Start again when ready.");
  });
}

async function start() {
  const facing = document.querySelector('input[name="facing"]:checked').value;
  el.voice.checked = el.voiceSetup.checked;
  el.problem.hidden = true;
  el.start.disabled = true;
  say("Let's go.");
  try {
    stream = await navigator.mediaDevices.getUserMedia({
      audio: false, video: { facingMode: facing, width: { ideal: 640 }, height: { ideal: 480 } },
    });
  } catch (error) {
    el.start.disabled = false;
    problem("formcoach could not open the camera. Allow the camera for this page and try again.");
    return;
  }
  el.preview.srcObject = stream;
  el.preview.classList.toggle("mirrored", facing === "user");
  el.setup.hidden = true;
  el.coach.hidden = false;
  window.scrollTo(0, 0);
  el.start.disabled = false;
  connect(facing);
}

el.start.addEventListener("click", start);
el.stop.addEventListener("click", () => {
  stopCapture();
  el.person.textContent = "Finishing…";
  if (socket && socket.readyState === WebSocket.OPEN) socket.send(JSON.stringify({ type: "stop" }));
});
window.addEventListener("pagehide", () => {
  if (socket) socket.close();
});
