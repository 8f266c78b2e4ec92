#!/usr/bin/env node
// The CLI entry: runs the compiled CLI from dist/ (built by `npm install` through the `prepare` script).
import { main } from "../dist/cli/main.js";

// A reader that stops early (`tutti --help | head`) closes the pipe: what it did not read is
// dropped, quietly, and the command finishes its work (a batch still writes all its files).
for (const stream of [process.stdout, process.stderr]) {
  stream.on("error", (err) => {
    if (err.code !== "EPIPE" && err.code !== "ERR_STREAM_DESTROYED") throw err;
  });
}

process.exitCode = await main(process.argv);
