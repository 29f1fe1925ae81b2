//! What rareflow's fuzz targets run, one function per target:
//!
//! * [`load::load_file_bytes`] (target `load`): a file's bytes through the loader the app
//!   and the CLI use, then validation and a save-and-reopen round trip;
//! * [`solve::solve_generated_scenario`] (target `solve`): bytes decoded into a small but
//!   valid scenario with extreme numbers, every policy kind, contracts and expansion
//!   options, then calibrated and solved, checking that every year's status is honest.
//!
//! Each function panics on a bug and returns quietly on input that is merely refused. The
//! AFL++ binaries in `src/bin/` call them; the root crate's `tests/fuzz_corpus.rs`
//! includes this very file (`#[path]`) and runs them over the committed corpus and every
//! reproducer, so a plain `cargo test` replays what fuzzing found without AFL.

pub mod load;
pub mod scenario_gen;
pub mod solve;
