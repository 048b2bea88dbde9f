// Start GOV.UK Frontend's components on pages that support them.
import { initAll } from "./govuk-frontend.min.js";

initAll();
