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
    // Commodities by name, not by id.
    assert!(stdout.contains("  NdPr oxide "), "{stdout}");
    assert!(stdout.contains("Dy/Tb out"), "{stdout}");
    assert!(!stdout.contains("NDPR"), "{stdout}");
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

#[test]
fn solve_prints_shortfall_and_price_pressure_against_the_baseline() {
    let (ok, stdout, stderr) = rareflow(&[
        "solve",
        "scenarios/china-heavy-ree-licensing-2025.ron",
        "--year",
        "2026",
    ]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("2026 equilibrium: Optimal"), "{stdout}");
    assert!(
        stdout.contains("price pressure against \"Baseline 2024\""),
        "{stdout}"
    );
    let japan_magnets = stdout
        .lines()
        .find(|line| line.trim_start().starts_with("Japan") && line.contains("NdFeB magnets"))
        .expect("a Japan magnets row");
    assert!(
        japan_magnets.contains(" +"),
        "positive pressure: {japan_magnets}"
    );
    assert!(stdout.contains("largest flows (t/yr)"), "{stdout}");
}

#[test]
fn solve_json_is_the_documented_interface() {
    let (ok, stdout, stderr) =
        rareflow(&["solve", "baseline", "--year", "2025", "--format", "json"]);
    assert!(ok, "{stderr}");
    let json: serde_json::Value = serde_json::from_str(&stdout).expect("valid JSON");
    assert_eq!(json["scenario"], "Baseline 2024");
    assert_eq!(json["reference"], "Baseline 2024");
    let year = &json["years"][0];
    assert_eq!(year["year"], 2025);
    assert_eq!(year["status"], "Optimal");
    assert!(year["welfare_musd"].as_f64().expect("welfare") > 0.0);
    let markets = year["markets"].as_array().expect("markets");
    assert_eq!(markets.len(), 38);
    for market in markets {
        for key in [
            "region",
            "commodity",
            "consumption_t",
            "shortfall_t",
            "price_usd_per_kg",
            "price_pressure",
            "origin",
        ] {
            assert!(
                market.get(key).is_some(),
                "market record lacks {key}: {market}"
            );
        }
        // The baseline against itself: no pressure.
        assert!(market["price_pressure"].as_f64().expect("pressure").abs() < 1e-9);
    }
    assert!(!year["flows"].as_array().expect("flows").is_empty());
    let node = &year["utilisation"][0];
    for key in [
        "node",
        "country",
        "stage",
        "capacity_t",
        "output_t",
        "utilisation",
    ] {
        assert!(
            node.get(key).is_some(),
            "utilisation record lacks {key}: {node}"
        );
    }
}

#[test]
fn solve_csv_has_a_row_per_market_and_year() {
    let (ok, stdout, stderr) = rareflow(&["solve", "baseline", "--format", "csv"]);
    assert!(ok, "{stderr}");
    let mut lines = stdout.lines();
    assert_eq!(
        lines.next(),
        Some(
            "year,status,region,commodity,consumption_t,reference_t,shortfall_t,price_usd_per_kg,price_pressure,stock_release_t"
        )
    );
    assert_eq!(lines.count(), 38 * 12, "38 markets for each year 2024–2035");
}

#[test]
fn compare_lists_the_differences() {
    let (ok, stdout, stderr) = rareflow(&[
        "compare",
        "baseline",
        "scenarios/india-japan-halt-2025.ron",
        "--year",
        "2025",
    ]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains(
            "\"India halts rare-earth exports to Japan (2025)\" against \"Baseline 2024\""
        ),
        "{stdout}"
    );
    assert!(stdout.contains("Δ consumed"), "{stdout}");
}

#[test]
fn export_lp_writes_a_complete_cplex_lp_file() {
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("baseline-2024.lp");
    let (ok, stdout, stderr) = rareflow(&[
        "export-lp",
        "baseline",
        "--year",
        "2024",
        "--output",
        path.to_str().expect("utf-8"),
    ]);
    assert!(ok, "{stderr}");
    assert!(stdout.starts_with("wrote "), "{stdout}");
    let text = std::fs::read_to_string(&path).expect("written");
    for section in ["Minimize", "Subject To", "Bounds", "End"] {
        assert!(text.contains(section), "no {section} section");
    }
    assert!(text.contains("balance_JPN,DYTB_:"), "market rows are named");
}

#[test]
fn solve_refuses_a_year_outside_the_horizon() {
    let (ok, _, stderr) = rareflow(&["solve", "baseline", "--year", "2050"]);
    assert!(!ok);
    assert!(
        stderr.contains("2050 is outside the scenario's horizon 2024–2035"),
        "{stderr}"
    );
}

#[test]
fn export_writes_csv_files_and_a_workbook() {
    let folder = tempfile::tempdir().expect("temp dir");
    let csv = folder.path().join("csv");
    let xlsx = folder.path().join("results.xlsx");
    let (ok, stdout, stderr) = rareflow(&[
        "export",
        "scenarios/vietnam-raw-ore-ban-2026.ron",
        "--csv",
        csv.to_str().expect("utf-8"),
        "--xlsx",
        xlsx.to_str().expect("utf-8"),
    ]);
    assert!(ok, "{stderr}");
    assert_eq!(
        stdout.lines().count(),
        8,
        "seven CSV files and the workbook: {stdout}"
    );
    for table in [
        "years",
        "markets",
        "flows",
        "nodes",
        "origins",
        "expansions",
        "contracts",
    ] {
        assert!(csv.join(format!("{table}.csv")).exists(), "{table}");
    }
    assert!(xlsx.exists());
    let (ok, _, stderr) = rareflow(&["export", "baseline"]);
    assert!(!ok);
    assert!(
        stderr.contains("--csv FOLDER and/or --xlsx FILE"),
        "{stderr}"
    );
}

#[test]
fn command_errors_are_variants_to_match_on_with_the_printed_words() {
    use rareflow::cli::{self, CliError, Format};
    use rareflow::io::LoadError;

    let baseline = Path::new("baseline");
    let error = cli::solve_report(baseline, Some(2050), Format::Table, baseline)
        .expect_err("outside the horizon");
    assert!(
        matches!(
            error,
            CliError::YearOutsideHorizon {
                year: 2050,
                first_year: 2024,
                last_year: 2035
            }
        ),
        "{error}"
    );
    assert_eq!(
        error.to_string(),
        "2050 is outside the scenario's horizon 2024–2035"
    );

    let error = cli::export(baseline, None, None, baseline).expect_err("nowhere to export");
    assert!(matches!(error, CliError::NoExportTarget), "{error}");
    assert_eq!(
        error.to_string(),
        "say where to export: --csv FOLDER and/or --xlsx FILE"
    );

    let error = cli::calibrate_report(Path::new("no-such-file.ron")).expect_err("missing");
    assert!(
        matches!(error, CliError::Load(LoadError::Read { .. })),
        "{error}"
    );
    assert!(
        error
            .to_string()
            .starts_with("no-such-file.ron: cannot read the file"),
        "{error}"
    );
}

/// in-force-2026 as shipped but with Vietnam's ore ban switched off, written to `folder`.
fn in_force_without_vietnam_ban(folder: &Path) -> std::path::PathBuf {
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/in-force-2026.ron"),
    )
    .expect("read");
    let on = "label: \"Vietnam bans raw rare-earth ore exports\",\n            enabled: true,";
    assert!(text.contains(on), "the ban is on in in-force-2026");
    let path = folder.join("no-vietnam-ban.ron");
    std::fs::write(&path, text.replacen(on, &on.replace("true", "false"), 1)).expect("write");
    path
}

#[test]
fn compare_names_the_plant_that_lost_feed_and_the_origin_it_lost() {
    let folder = tempfile::tempdir().expect("temp dir");
    let reference = in_force_without_vietnam_ban(folder.path());
    let (ok, stdout, stderr) = rareflow(&[
        "compare",
        reference.to_str().expect("utf-8"),
        "scenarios/in-force-2026.ron",
        "--year",
        "2026",
        "--plants",
        "4",
    ]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("2026 — plants, largest change first (4 of "),
        "{stdout}"
    );
    let china = stdout
        .lines()
        .find(|line| {
            line.contains("China separation plants (China Northern") && line.contains(" → ")
        })
        .unwrap_or_else(|| panic!("the Chinese plant is listed: {stdout}"));
    assert!(china.contains(" China "), "{china}");
    assert!(china.contains("Vietnam -288 t"), "{china}");
    assert!(
        stdout.contains("lost") && stdout.contains("288 → 0") && stdout.contains("882 → 592"),
        "{stdout}"
    );
}

#[test]
fn compare_json_gives_every_plant_origin_in_tonnes() {
    let folder = tempfile::tempdir().expect("temp dir");
    let reference = in_force_without_vietnam_ban(folder.path());
    let (ok, stdout, stderr) = rareflow(&[
        "compare",
        reference.to_str().expect("utf-8"),
        "scenarios/in-force-2026.ron",
        "--year",
        "2026",
        "--format",
        "json",
    ]);
    assert!(ok, "{stderr}");
    let record: serde_json::Value = serde_json::from_str(&stdout).expect("JSON");
    let plants = record["years"][0]["plants"].as_array().expect("plants");
    let china = plants
        .iter()
        .find(|p| p["node"] == "SEP-CHN-separation_plants_northern")
        .expect("the Chinese plant");
    let vietnam = china["origins"]
        .as_array()
        .expect("origins")
        .iter()
        .find(|o| o["source"] == "VNM")
        .expect("Vietnamese ore");
    let lost_t = vietnam["change_t"].as_f64().expect("a number");
    assert!((lost_t + 288.2).abs() < 0.1, "{lost_t}");
    let left_t = vietnam["scenario_t"].as_f64().expect("a number");
    assert!(left_t.abs() < 1e-6, "{left_t}");
}
