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

// A filter panel stands open on a screen wide enough to show it beside the results; on a phone it
// stays closed behind its "Show filters" button. The stylesheet does the same without this where
// the browser can style a closed <details>.
const wideEnoughForFilters = window.matchMedia("(min-width: 40.0625em)");
const openFilterPanels = () => {
  if (!wideEnoughForFilters.matches) return;
  for (const panel of document.querySelectorAll("details[data-filter-panel]")) panel.open = true;
};
openFilterPanels();
wideEnoughForFilters.addEventListener("change", openFilterPanels);
