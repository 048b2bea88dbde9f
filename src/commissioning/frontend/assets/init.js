// Start GOV.UK Frontend's components, and save long answers as they are typed.
import { initAll } from "./govuk-frontend.min.js";

initAll();

// A form marked data-autosave is posted in the background a moment after each change,
// with the header X-Autosave, and says when it was last saved. Without JavaScript the
// form's own Save button does the same; nothing depends on this.
for (const form of document.querySelectorAll("form[data-autosave]")) {
  const status = form.querySelector("[data-autosave-status]");
  let timer = null;
  let sent = null;
  const save = async () => {
    const body = new FormData(form);
    const fingerprint = JSON.stringify([...body.entries()].filter(([, v]) => typeof v === "string"));
    if (fingerprint === sent) return;
    try {
      // Not form.action: a button named "action" would shadow it.
      const response = await fetch(form.getAttribute("action") || window.location.href, {
        method: "POST",
        body,
        headers: { "X-Autosave": "1" },
        credentials: "same-origin",
      });
      const answer = await response.json();
      sent = response.ok ? fingerprint : null;
      if (status) status.textContent = answer.message;
    } catch {
      if (status) status.textContent = "Not saved: check your connection, then select Save";
    }
  };
  form.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(save, 1500);
  });
}
