// Size each same-origin document frame (the report, the guide) to its content, so the page
// scrolls as one and nothing is cut off on a phone.
export function fitFrames() {
  for (const frame of document.querySelectorAll("iframe.document")) {
    const fit = () => {
      const doc = frame.contentDocument;
      if (doc && doc.documentElement) {
        frame.style.height = doc.documentElement.scrollHeight + "px";
      }
    };
    frame.addEventListener("load", fit);
    window.addEventListener("resize", fit);
    fit();
  }
}

fitFrames();
