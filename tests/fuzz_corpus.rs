//! The fuzz targets' corpus and every reproducer of a crash, replayed through the very
//! functions the AFL++ targets run (`fuzz/src/lib.rs`, included below), so a plain
//! `cargo test` keeps every input fuzzing found from coming back, without AFL.
//!
//! `fuzz/seeds/<target>/` holds the hand-made seeds, `fuzz/corpus/<target>/` the minimised
//! corpus of earlier campaigns (`fuzz/minimise.sh`), and `fuzz/regressions/<target>/` the
//! smallest input of each crash or runaway that was fixed.

#[path = "../fuzz/src/lib.rs"]
mod fuzz_targets;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use fuzz_targets::{load::load_file_bytes, solve::solve_generated_scenario};
use rareflow::model::{Stage, validate};
use rareflow::solver::{Years, solve_scenario};

/// The files of `fuzz/<folder>/<target>/`, sorted; fails when there is none, so an empty
/// or misplaced folder cannot pass unchecked.
fn inputs(folder: &str, target: &str) -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join(folder)
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("{}: {error}", dir.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    assert!(!files.is_empty(), "{} has no input", dir.display());
    files
}

/// Runs `target` on every file, and fails naming each file on which it panicked.
fn replay(files: &[PathBuf], target: fn(&[u8])) {
    let failed: Vec<String> = files
        .iter()
        .filter_map(|path| {
            let bytes = std::fs::read(path).expect("an input file reads");
            std::panic::catch_unwind(|| target(&bytes))
                .is_err()
                .then(|| path.display().to_string())
        })
        .collect();
    assert!(failed.is_empty(), "the target panicked on: {failed:#?}");
}

#[test]
fn the_load_seeds_and_corpus_load_or_are_refused_without_a_panic() {
    replay(&inputs("seeds", "load"), load_file_bytes);
    replay(&inputs("corpus", "load"), load_file_bytes);
}

#[test]
fn the_solve_seeds_and_corpus_solve_with_honest_statuses() {
    replay(&inputs("seeds", "solve"), solve_generated_scenario);
    replay(&inputs("corpus", "solve"), solve_generated_scenario);
}

/// Each hand-made bad file is refused for its own reason, named as the user reads it.
#[test]
fn each_hand_made_load_seed_is_refused_for_its_reason() {
    let expected = [
        ("deep-lists.ron", "seed:1:97: Exceeded recursion limit"),
        ("deep-parens.ron", "seed:1:90: Exceeded recursion limit"),
        ("empty.ron", "seed:1:1: Expected opening `(`"),
        (
            "extensions-and-escapes.ron",
            "seed:2:127: Unexpected missing field named `commodities`",
        ),
        (
            "huge-numbers.ron",
            "reference_t_per_yr: must be ≥ 0 (got inf)",
        ),
        (
            "infinite.ron",
            "region \"NORTH\", lat: must be between -90 and 90 (got -inf)",
        ),
        (
            "misspelt-field.ron",
            "seed:60:108: unknown field `elasticty`, did you mean `elasticity`?",
        ),
        (
            "nan.ron",
            "node \"MINE-BBB\", capacity_t_per_yr: must be ≥ 0 (got NaN)",
        ),
        (
            "newer-format-version.ron",
            "seed: the file has format_version 7, newer than",
        ),
        (
            "old-format-version.ron",
            "no migration from format_version 0 is known",
        ),
        (
            "only-version.ron",
            "seed:1:19: Unexpected missing field named `meta`",
        ),
        ("truncated.ron", "seed:38:21: Expected comma"),
        ("unit.ron", "seed: the file has no `format_version` field"),
        (
            "unknown-field.ron",
            "seed:3:5: unknown field `no_such_field_zz`; expected one of",
        ),
        ("year-overflow.ron", "seed:6:20: Integer is out of bounds"),
    ];
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/seeds/load");
    for (file, message) in expected {
        let text = std::fs::read_to_string(seeds.join(file)).expect("the seed reads");
        match rareflow::io::load_str("seed", &text) {
            Ok(_) => panic!("{file} loaded"),
            Err(error) => assert!(
                error.to_string().contains(message),
                "{file}: {error} does not say {message:?}"
            ),
        }
    }
    for valid in ["valid-two-country.ron", "trimmed-baseline-2024.ron"] {
        let text = std::fs::read_to_string(seeds.join(valid)).expect("the seed reads");
        rareflow::io::load_str("seed", &text).unwrap_or_else(|error| panic!("{error}"));
    }
}

#[test]
fn every_crash_the_loader_fuzzing_found_stays_fixed() {
    replay(&inputs("regressions", "load"), load_file_bytes);
}

#[test]
fn every_crash_the_solver_fuzzing_found_stays_fixed() {
    replay(&inputs("regressions", "solve"), solve_generated_scenario);
}

/// The decoder's first options (no bytes at all) make the network the fuzzer starts from:
/// one node of each stage, every policy kind, an expansion option and a contract, in one
/// year whose answer is usable.
#[test]
fn with_no_bytes_the_decoder_makes_one_of_everything_and_it_solves() {
    let scenario = fuzz_targets::scenario_gen::scenario_from_bytes(&[]);
    assert_eq!(validate(&scenario), Vec::new());
    let stages: Vec<Stage> = scenario.nodes.iter().map(|n| n.process.stage()).collect();
    assert_eq!(stages, Stage::ALL);
    let kinds: BTreeSet<&str> = scenario
        .policies
        .iter()
        .map(|p| p.kind.kind_label())
        .collect();
    assert_eq!(kinds.len(), 7, "every policy kind: {kinds:?}");
    assert_eq!((scenario.expansion.len(), scenario.contracts.len()), (1, 1));
    let solution =
        solve_scenario(&scenario, Years::All, &Default::default()).expect("the network solves");
    let years: Vec<i32> = solution.years.iter().map(|y| y.year).collect();
    assert_eq!(years, [2024]);
    let status = solution.years[0].status;
    assert!(status.is_usable(), "the year is {status:?}");
}
