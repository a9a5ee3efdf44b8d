//! The one integration-test binary of the `unspin` CLI.

// Helpers: run the binary, temporary files.
mod util;
// What the commands do on good input.
mod feature;
// What they do on bad input: one-line errors, exit code 2, no panic.
mod bad_input;
// `unspin pan` and `unspin pan-eval` on a small PAN-layout corpus.
mod pan;
// `unspin index add|stats|rm` and `unspin check`, crash safety included.
mod index;
// `unspin restore`, `learn`, `lm build` and `score` with models and lexicons.
mod restore;
