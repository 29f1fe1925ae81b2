//! The command-line interface, run as a user would.

use std::path::Path;
use std::process::Command;

fn rareflow(args: &[&str]) -> (bool, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_rareflow"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs");
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

#[test]
fn validate_accepts_every_shipped_scenario() {
    for entry in
        std::fs::read_dir(Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")).expect("dir")
    {
        let path = entry.expect("entry").path();
        let (ok, stdout, stderr) = rareflow(&["validate", path.to_str().expect("utf-8")]);
        assert!(ok, "{stderr}");
        assert!(stdout.contains(": valid ("), "{stdout}");
    }
}

#[test]
fn validate_prints_line_and_column_of_a_syntax_error() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("broken.ron");
    std::fs::write(
        &path,
        "(\n    format_version: 1,\n    meta: (name: \"x\" base_year: 2024),\n)\n",
    )
    .expect("write");
    let (ok, _, stderr) = rareflow(&["validate", path.to_str().expect("utf-8")]);
    assert!(!ok);
    assert!(stderr.contains("broken.ron:3:"), "{stderr}");
}

#[test]
fn validate_lists_every_problem_by_item() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("bad.ron");
    let text = rareflow::BASELINE_RON
        .replacen("capacity_t_per_yr: 250850.0", "capacity_t_per_yr: -1.0", 1)
        .replacen("country: \"AUS\"", "country: \"XXX\"", 1);
    std::fs::write(&path, text).expect("write");
    let (ok, _, stderr) = rareflow(&["validate", path.to_str().expect("utf-8")]);
    assert!(!ok);
    assert!(stderr.contains("2 problem(s)"), "{stderr}");
    assert!(
        stderr
            .contains("node \"MINE-CHN-light_ree_mines\", capacity_t_per_yr: must be ≥ 0 (got -1)"),
        "{stderr}"
    );
    assert!(stderr.contains("unknown country \"XXX\""), "{stderr}");
}

#[test]
fn summary_prints_chinas_shares_of_the_baseline() {
    let (ok, stdout, stderr) = rareflow(&["summary", "scenarios/baseline-2024.ron"]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("supply in 2024"), "{stdout}");
    assert!(
        stdout.contains("China's shares of 2024 output: mining 70.3 %, separation 93.6 %"),
        "{stdout}"
    );
    assert!(stdout.contains("magnets 94.6 %"), "{stdout}");
}

#[test]
fn summary_of_a_later_year_shows_new_capacity() {
    let (ok, stdout, stderr) = rareflow(&["summary", "baseline", "--year", "2030"]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("supply in 2030"), "{stdout}");
    let usa_magnets = stdout
        .lines()
        .skip_while(|line| !line.starts_with("Magnet making"))
        .find(|line| line.trim_start().starts_with("United States"))
        .expect("a US row under magnet making");
    // Noveon 2,000 + MP 1,000 + 7,000 + eVAC 2,000 + USA Rare Earth 4,800 + Vulcan 10,000.
    assert!(usa_magnets.contains("26,800"), "{usa_magnets}");
}

#[test]
fn summary_of_a_missing_file_fails_clearly() {
    let (ok, _, stderr) = rareflow(&["summary", "no-such-file.ron"]);
    assert!(!ok);
    assert!(
        stderr.contains("no-such-file.ron: cannot read the file"),
        "{stderr}"
    );
}
