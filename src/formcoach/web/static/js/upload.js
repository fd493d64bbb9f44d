// The upload page: send the chosen video as the raw body of POST /api/sessions with a progress
// bar, then go to the session's page, which follows the analysis. A reload during the upload stops
// it (a browser cannot resume it): the page then says so and asks for the video again.
const form = document.getElementById("upload");
const input = form.querySelector('input[type="file"]');
const chosen = document.getElementById("chosen");
const sending = document.getElementById("sending");
const sendingBar = document.getElementById("sending-bar");
const sendingText = document.getElementById("sending-text");
const problem = document.getElementById("problem");
const send = document.getElementById("send");
const KEY = "formcoach-upload";

function say(text) {
  problem.textContent = text;
  problem.hidden = !text;
}

function megabytes(bytes) {
  if (bytes < 1048576) return Math.max(1, Math.round(bytes / 1024)) + " KB";
  return (bytes / 1048576).toFixed(bytes < 10485760 ? 1 : 0) + " MB";
}

const interrupted = window.sessionStorage.getItem(KEY);
if (interrupted) {
  window.sessionStorage.removeItem(KEY);
  say(`Sending “${interrupted}” stopped when the page was reloaded. Choose the video again to send it.`);
}

input.addEventListener("change", () => {
  const file = input.files[0];
  say("");
  chosen.hidden = !file;
  if (file) chosen.textContent = `${file.name} (${megabytes(file.size)})`;
});

form.addEventListener("submit", (event) => {
  event.preventDefault();
  const file = input.files[0];
  if (!file) {
    say("Choose a video first.");
    return;
  }
  if (file.size > Number(form.dataset.maxBytes)) {
    say(`This video is ${megabytes(file.size)}, more than formcoach accepts (${megabytes(Number(form.dataset.maxBytes))}). Film a shorter clip.`);
    return;
  }
  const data = new FormData(form);
  const query = new URLSearchParams({ filename: file.name, exercise: data.get("exercise"), mirrored: data.get("mirrored") });
  const request = new XMLHttpRequest();
  request.open("POST", `/api/sessions?${query}`);
  request.setRequestHeader("content-type", "application/octet-stream");
  request.responseType = "json";
  request.upload.addEventListener("progress", (progress) => {
    if (progress.lengthComputable) {
      sendingBar.value = progress.loaded / progress.total;
      sendingText.textContent = `Sending your video… ${Math.round(100 * progress.loaded / progress.total)} %`;
    }
  });
  request.upload.addEventListener("load", () => {
    sendingBar.value = 1;
    sendingText.textContent = "Checking the video…";
  });
  request.addEventListener("load", () => {
    window.sessionStorage.removeItem(KEY);
    const answer = request.response || {};
    if (request.status === 202 && answer.id) {
      window.location.assign(`/sessions/${answer.id}`);
      return;
    }
    sending.hidden = true;
    send.disabled = false;
    say(answer.detail || `The video could not be sent (error ${request.status}).`);
  });
  request.addEventListener("error", () => {
    window.sessionStorage.removeItem(KEY);
    sending.hidden = true;
    send.disabled = false;
    say("The video could not be sent: is formcoach still running on the computer?");
  });
  window.sessionStorage.setItem(KEY, file.name);
  say("");
  send.disabled = true;
  sending.hidden = false;
  request.send(file);
});
