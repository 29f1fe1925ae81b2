//! Target `load`: file bytes → the loader → validation → save and reopen.

use rareflow::io;
use rareflow::model::validate;

/// Runs a scenario file's bytes through the path every open takes (the app, the CLI and
/// recovery read the text, bring old format versions up to date, parse, validate). A
/// refusal is fine; a panic, a hang or a scenario that loads but fails validation, or that
/// does not come back the same after a save, is a bug.
pub fn load_file_bytes(bytes: &[u8]) {
    // `io::read_text` refuses what is not UTF-8 the same way (`read_to_string`).
    let Ok(text) = std::str::from_utf8(bytes) else {
        return;
    };
    let scenario = match io::load_str("fuzz input", text) {
        Ok(scenario) => scenario,
        Err(error) => {
            // The message the user would see is built too (nearest-name suggestions,
            // problem lists), so its code is fuzzed as well.
            assert!(!error.to_string().is_empty(), "an error says nothing");
            return;
        }
    };
    let problems = validate(&scenario);
    assert!(
        problems.is_empty(),
        "a loaded scenario fails validation: {problems:?}"
    );
    // What loads must save and reopen unchanged, or a save would lose or alter work.
    let saved = io::to_ron_string(&scenario)
        .unwrap_or_else(|error| panic!("a loaded scenario cannot be saved: {error}"));
    let reopened = io::load_str("saved fuzz input", &saved)
        .unwrap_or_else(|error| panic!("a saved scenario does not load again: {error}"));
    assert!(
        reopened == scenario,
        "a scenario changes when saved and reopened"
    );
}
