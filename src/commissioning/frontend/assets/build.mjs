// Build the static assets into build/static/govuk: compiled CSS, GOV.UK Frontend's
// JavaScript, fonts and images. Run by `make assets` (npm run build).
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, "..", "..", "..", "..");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const out = join(root, "build", "static", "govuk");

mkdirSync(out, { recursive: true });
const result = sass.compile(join(here, "application.scss"), {
  style: "compressed",
  importers: [new sass.NodePackageImporter()],
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(out, "application.css"), result.css);
cpSync(join(govuk, "govuk-frontend.min.js"), join(out, "govuk-frontend.min.js"));
cpSync(join(govuk, "assets"), join(out, "assets"), { recursive: true });
cpSync(join(here, "init.js"), join(out, "init.js"));
console.log(`assets built in ${out}`);
