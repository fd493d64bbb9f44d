// The session page: follow the analysis (polling the API) until the report is ready, then show it;
// offer to analyse again a session a restart interrupted.
import "./confirm.js";
import "./frame.js";

const POLL_MS = 1000;
const job = document.getElementById("job");

function show(session) {
  const bar = document.getElementById("job-bar");
  const percent = document.getElementById("job-percent");
  const title = document.getElementById("job-title");
  const started = session.status === "running";
  if (bar && started) bar.value = session.progress;
  if (bar && !started) bar.removeAttribute("value");
  if (percent) percent.textContent = started ? Math.round(session.progress * 100) + " %" : "Starting…";
  if (title) title.textContent = session.status === "queued" ? "Waiting to start" : "Analysing";
}

async function poll() {
  try {
    const answer = await fetch(`/api/sessions/${job.dataset.id}`, { headers: { accept: "application/json" } });
    if (answer.status === 404) {
      window.location.assign("/history");
      return;
    }
    const session = await answer.json();
    if (session.status !== job.dataset.status && !["queued", "running"].includes(session.status)) {
      window.location.reload();
      return;
    }
    show(session);
  } catch (error) {
    // The computer may be busy or restarting: keep trying.
  }
  window.setTimeout(poll, POLL_MS);
}

async function retry() {
  const answer = await fetch(`/api/sessions/${job.dataset.id}/retry`, { method: "POST" });
  if (answer.ok) window.location.reload();
}

if (job && ["queued", "running"].includes(job.dataset.status)) {
  window.setTimeout(poll, POLL_MS);
}
const again = document.getElementById("retry");
if (again) again.addEventListener("click", retry);
