//! The scenario file format: every shipped file loads, validates and round-trips; errors
//! name line and column; versions and migrations; atomic saves; the size limit.

use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use rareflow::io::{self, LoadError, Migration, SaveError};

fn scenario_files() -> Vec<PathBuf> {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = fs::read_dir(&folder)
        .expect("scenarios/ exists")
        .map(|entry| entry.expect("readable entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "ron"))
        .collect();
    files.sort();
    files
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn every_shipped_scenario_loads_validates_and_round_trips() {
    let files = scenario_files();
    assert_eq!(
        files.len(),
        7,
        "baseline, five event scenarios and the backtest's 2010 world: {files:?}"
    );
    for path in files {
        let text = fs::read_to_string(&path).expect("readable");
        let scenario = io::load(&path).unwrap_or_else(|error| panic!("{error}"));
        let written = io::to_ron_string(&scenario).expect("serialises");
        // Stable field order and formatting: saving what was loaded gives the same bytes.
        assert_eq!(
            written,
            text,
            "{} does not round-trip byte for byte",
            path.display()
        );
        let reloaded = io::load_str("round trip", &written).expect("reloads");
        assert_eq!(
            reloaded,
            scenario,
            "{} changed in a round trip",
            path.display()
        );
    }
}

#[test]
fn the_embedded_baseline_is_the_shipped_file() {
    let shipped =
        io::load(&Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/baseline-2024.ron"))
            .expect("loads");
    assert_eq!(rareflow::baseline().expect("loads"), shipped);
}

#[test]
fn event_scenarios_differ_from_the_baseline_only_in_switched_policies() {
    let baseline = rareflow::baseline().expect("loads");
    for path in scenario_files() {
        let scenario = io::load(&path).expect("loads");
        if path.ends_with("baseline-2024.ron") {
            assert!(
                scenario.policies.iter().all(|p| !p.enabled),
                "baseline has every policy off"
            );
            continue;
        }
        // The backtest's 2010 world is another world, not an event on the baseline.
        if path
            .file_name()
            .is_some_and(|name| name.to_string_lossy().starts_with("backtest-"))
        {
            continue;
        }
        assert_eq!(scenario.nodes, baseline.nodes, "{}", path.display());
        assert_eq!(scenario.demand, baseline.demand, "{}", path.display());
        let switched_on = scenario.policies.iter().filter(|p| p.enabled).count();
        assert!(switched_on >= 1, "{} switches something on", path.display());
    }
}

#[test]
fn the_frozen_version_1_fixture_keeps_loading() {
    let scenario = io::load(&fixture("v1-two-country.ron")).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(scenario.nodes.len(), 3);
    assert_eq!(scenario.meta.last_year, 2026);
}

#[test]
fn a_syntax_error_names_line_and_column() {
    // Line 4 is `    format_version: 1`; drop the comma after it.
    let text = "// comment\n(\n\n    format_version: 1\n    meta: (),\n)\n";
    let error = io::parse_str("broken.ron", text).expect_err("syntax error");
    match &error {
        LoadError::Syntax { line, column, .. } => {
            assert_eq!((*line, *column), (5, 5), "{error}");
        }
        other => panic!("expected a syntax error, got {other}"),
    }
    assert!(error.to_string().starts_with("broken.ron:5:5: "), "{error}");
}

#[test]
fn a_type_error_deep_in_the_file_names_its_line() {
    let text = rareflow::BASELINE_RON.replacen("base_year: 2024", "base_year: \"2024\"", 1);
    let line = text
        .lines()
        .position(|l| l.contains("base_year: \"2024\""))
        .expect("edited line")
        + 1;
    let error = io::parse_str("typed.ron", &text).expect_err("type error");
    let LoadError::Syntax { line: reported, .. } = error else {
        panic!("expected a positioned error, got {error}");
    };
    assert_eq!(reported, line);
}

#[test]
fn a_file_from_a_newer_rareflow_is_refused() {
    let text = rareflow::BASELINE_RON.replacen("format_version: 2", "format_version: 7", 1);
    let error = io::parse_str("future.ron", &text).expect_err("too new");
    assert!(
        matches!(error, LoadError::TooNew { found: 7, .. }),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .contains("newer than this rareflow reads (up to 2)"),
        "{error}"
    );
}

#[test]
fn a_file_without_a_version_is_refused() {
    let error = io::parse_str("plain.ron", "(meta: ())").expect_err("no version");
    assert!(matches!(error, LoadError::NoVersion { .. }), "{error}");
}

fn rename_title_to_name(text: String) -> Result<String, String> {
    Ok(text
        .replacen("format_version: 0", "format_version: 1", 1)
        .replacen("title:", "name:", 1))
}

fn broken_step(_text: String) -> Result<String, String> {
    Err("the file's policies cannot be converted".to_owned())
}

fn forgetful_step(text: String) -> Result<String, String> {
    Ok(text)
}

#[test]
fn migrations_run_in_order_and_reach_the_current_version() {
    // A pretend version 0 that called the scenario's name `title`.
    let version_0 = rareflow::BASELINE_RON
        .replacen("format_version: 2", "format_version: 0", 1)
        .replacen("name: \"Baseline 2024\"", "title: \"Baseline 2024\"", 1);
    let chain = [Migration {
        from_version: 0,
        apply: rename_title_to_name,
    }];
    let migrated = io::migrate_text("old.ron", version_0, 0, 1, &chain).expect("migrates");
    let scenario = io::load_str("old.ron", &migrated).expect("loads after migration");
    assert_eq!(scenario, rareflow::baseline().expect("loads"));
}

#[test]
fn migration_failures_are_reported() {
    let text = rareflow::BASELINE_RON.replacen("format_version: 2", "format_version: 0", 1);
    let missing = io::migrate_text("old.ron", text.clone(), 0, 1, &[]).expect_err("no step");
    assert!(
        missing
            .to_string()
            .contains("no migration from format_version 0"),
        "{missing}"
    );
    let broken = [Migration {
        from_version: 0,
        apply: broken_step,
    }];
    let failed = io::migrate_text("old.ron", text.clone(), 0, 1, &broken).expect_err("fails");
    assert!(
        failed.to_string().contains("policies cannot be converted"),
        "{failed}"
    );
    let forgetful = [Migration {
        from_version: 0,
        apply: forgetful_step,
    }];
    let stuck = io::migrate_text("old.ron", text, 0, 1, &forgetful).expect_err("no progress");
    assert!(
        stuck
            .to_string()
            .contains("produced format_version 0, expected 1"),
        "{stuck}"
    );
}

#[test]
fn saving_then_loading_gives_the_same_scenario() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("copy.ron");
    let mut scenario = rareflow::baseline().expect("loads");
    scenario.policies[3].enabled = true;
    scenario.nodes[0].capacity_t_per_yr = 123_456.5;
    io::save(&path, &scenario).expect("saves");
    assert_eq!(io::load(&path).expect("loads"), scenario);
}

#[test]
fn a_failed_save_leaves_the_old_file_intact() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("scenario.ron");
    fs::write(&path, "old contents").expect("write");
    let result = io::write_atomically(&path, |file| {
        file.write_all(b"half of the new con")?;
        Err(std::io::Error::other("disk full"))
    });
    let error = result.expect_err("the write fails");
    assert!(
        matches!(&error, SaveError::Write { path: p, .. } if p == &path),
        "{error}"
    );
    assert!(error.to_string().contains("disk full"), "{error}");
    assert_eq!(fs::read_to_string(&path).expect("read"), "old contents");
    let leftovers: Vec<_> = fs::read_dir(folder.path()).expect("list").collect();
    assert_eq!(leftovers.len(), 1, "no temporary file is left behind");
}

#[test]
fn a_save_into_a_missing_folder_names_the_path() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("no such folder").join("scenario.ron");
    let error = io::save(&path, &rareflow::baseline().expect("loads")).expect_err("fails");
    assert!(error.to_string().contains("no such folder"), "{error}");
}

#[test]
fn a_save_keeps_the_permissions_of_the_file_it_replaces() {
    use std::os::unix::fs::PermissionsExt as _;
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("shared.ron");
    fs::write(&path, "old").expect("write");
    fs::set_permissions(&path, fs::Permissions::from_mode(0o664)).expect("chmod");
    io::save(&path, &rareflow::baseline().expect("loads")).expect("saves");
    let mode = fs::metadata(&path).expect("stat").permissions().mode() & 0o777;
    assert_eq!(mode, 0o664);
}

#[test]
fn an_oversized_file_is_refused_before_it_is_read() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("huge.ron");
    let file = fs::File::create(&path).expect("create");
    // A sparse file: large on paper, no disk used, and never read.
    file.set_len(io::MAX_FILE_BYTES + 1).expect("set_len");
    let error = io::load(&path).expect_err("too large");
    assert!(matches!(error, LoadError::TooLarge { .. }), "{error}");
    assert!(error.to_string().contains("over 64 MiB"), "{error}");
}

#[test]
fn a_missing_file_names_its_path() {
    let error = io::load(Path::new("/nonexistent/scenario.ron")).expect_err("missing");
    assert!(
        error
            .to_string()
            .starts_with("/nonexistent/scenario.ron: cannot read"),
        "{error}"
    );
}

/// The 1-based line and column where `needle` first starts in `text`.
fn position_of(text: &str, needle: &str) -> (usize, usize) {
    let offset = text.find(needle).expect("needle in text");
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.len() - before.rfind('\n').map_or(0, |newline| newline + 1) + 1;
    (line, column)
}

/// Loads `text` expecting a refusal at `needle`'s line and column, and returns the message.
fn refusal_at(text: &str, needle: &str) -> String {
    let error = io::load_str("typo.ron", text).expect_err("an unknown name is refused");
    let LoadError::Syntax {
        line,
        column,
        ref message,
        ..
    } = error
    else {
        panic!("expected a positioned refusal, got {error}");
    };
    assert_eq!((line, column), position_of(text, needle), "{error}");
    assert!(
        error
            .to_string()
            .starts_with(&format!("typo.ron:{line}:{column}: ")),
        "{error}"
    );
    message.clone()
}

#[test]
fn an_unknown_top_level_field_is_refused_with_the_fields_allowed_there() {
    let text = rareflow::BASELINE_RON.replacen(
        "    format_version: 2,\n",
        "    format_version: 2,\n    no_such_field_zz: 1,\n",
        1,
    );
    let message = refusal_at(&text, "no_such_field_zz");
    assert!(
        message.starts_with(
            "unknown field `no_such_field_zz`; expected one of `format_version`, `meta`, "
        ),
        "{message}"
    );
}

#[test]
fn a_misspelt_field_in_a_demand_row_is_refused_with_the_nearest_name() {
    let text = rareflow::BASELINE_RON.replacen("elasticity: 0.1,", "elasticty: 0.1,", 1);
    let message = refusal_at(&text, "elasticty");
    assert_eq!(
        message,
        "unknown field `elasticty`, did you mean `elasticity`?"
    );
}

#[test]
fn a_misspelt_field_in_a_policy_kind_is_refused_with_the_nearest_name() {
    let text = rareflow::BASELINE_RON.replacen("exporter: \"MYS\"", "exportr: \"MYS\"", 1);
    let message = refusal_at(&text, "exportr");
    assert_eq!(message, "unknown field `exportr`, did you mean `exporter`?");
    // Two levels down: a stockpile's release rule.
    let text = rareflow::BASELINE_RON.replacen("max_t_per_yr: 27.0", "max_t_per_yer: 27.0", 1);
    let message = refusal_at(&text, "max_t_per_yer");
    assert_eq!(
        message,
        "unknown field `max_t_per_yer`, did you mean `max_t_per_yr`?"
    );
}

#[test]
fn a_misspelt_policy_kind_is_refused_with_the_nearest_kind() {
    let text = rareflow::BASELINE_RON.replacen("kind: ExportBan(", "kind: ExportBann(", 1);
    let message = refusal_at(&text, "ExportBann");
    assert_eq!(
        message,
        "unknown variant `ExportBann`, did you mean `ExportBan`?"
    );
}
