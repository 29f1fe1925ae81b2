//! `rareflow tornado` and `rareflow ranges` as a user runs them: a hand network whose
//! ranking and bar ends are known, and in-force-2026 with the data's default ranges.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Net;
use rareflow::model::{Distribution, Scenario, UncertainInput, UncertainTarget};

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

fn succeeds(args: &[&str]) -> String {
    let (ok, stdout, stderr) = rareflow(args);
    assert!(ok, "rareflow {args:?} failed: {stderr}");
    stdout
}

fn input(id: &str, target: UncertainTarget, distribution: Distribution) -> UncertainInput {
    UncertainInput {
        id: id.to_owned(),
        label: id.to_owned(),
        target,
        distribution,
        source: "test range".to_owned(),
        notes: String::new(),
    }
}

/// One mine short of demand (price 75 $/kg in 2024): its capacity ×0.5–1.5 matters far
/// more than the elasticity ×0.9–1.1.
fn short_network(folder: &Path) -> PathBuf {
    let mut scenario: Scenario = Net::new()
        .country("AAA", 0.0)
        .mine("M", "AAA", 600.0, 10.0, &[("NDPR", 1.0)])
        .refinery("R", "AAA", &[("NDPR", 2_000.0)], 5.0)
        .demand("AAA", "NDPR", 800.0, 50.0, 0.5)
        .build();
    scenario.uncertainty = vec![
        input(
            "elasticity",
            UncertainTarget::DemandElasticity {
                commodity: "NDPR".to_owned(),
            },
            Distribution::Uniform {
                low: 0.9,
                high: 1.1,
            },
        ),
        input(
            "M-capacity",
            UncertainTarget::NodeCapacity {
                node: "M".to_owned(),
            },
            Distribution::Uniform {
                low: 0.5,
                high: 1.5,
            },
        ),
    ];
    let path = folder.join("short.ron");
    rareflow::io::save(&path, &scenario).expect("saves");
    path
}

#[test]
fn the_tornado_of_a_hand_network_ranks_capacity_first_with_known_ends() {
    let folder = tempfile::tempdir().expect("temp dir");
    let file = short_network(folder.path());
    let file = file.to_str().expect("utf-8");
    let json = succeeds(&["tornado", file, "--output", "price:AAA:NDPR:2024", "--json"]);
    let chart: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(chart["unit"], "US$/kg");
    assert_eq!(chart["output"]["measure"], "price_usd_per_kg");
    let unperturbed = chart["unperturbed"].as_f64().expect("number");
    assert!((unperturbed - 75.0).abs() < 0.1, "{unperturbed}");
    let bars = chart["bars"].as_array().expect("bars");
    assert_eq!(bars.len(), 2);
    assert_eq!(bars[0]["input"], "M-capacity");
    assert_eq!(bars[1]["input"], "elasticity");
    // P(q) = 150 − q/8: capacity at ×0.55 and ×1.45 is 330 t and 870 t.
    let at = |bar: &serde_json::Value, end: &str| bar[end].as_f64().expect(end);
    assert!((at(&bars[0], "low") - 0.55).abs() < 1e-9);
    assert!((at(&bars[0], "high") - 1.45).abs() < 1e-9);
    assert!((at(&bars[0], "output_at_low") - (150.0 - 330.0 / 8.0)).abs() < 0.2);
    assert!((at(&bars[0], "output_at_high") - (150.0 - 870.0 / 8.0)).abs() < 0.2);
    assert!(at(&bars[0], "swing") > 5.0 * at(&bars[1], "swing"));
    assert!(at(&bars[1], "swing") > 0.0);

    let table = succeeds(&[
        "tornado",
        file,
        "--output",
        "price_usd_per_kg:AAA:NDPR:2024",
    ]);
    let capacity_line = table.find("   1  M-capacity").expect("rank 1");
    let elasticity_line = table.find("   2  elasticity").expect("rank 2");
    assert!(capacity_line < elasticity_line, "{table}");
    assert!(
        table.contains("×0.55") && table.contains("US$/kg"),
        "{table}"
    );
}

#[test]
fn a_bad_output_key_or_year_is_refused_with_the_reason() {
    let folder = tempfile::tempdir().expect("temp dir");
    let file = short_network(folder.path());
    let file = file.to_str().expect("utf-8");
    let (ok, _, stderr) = rareflow(&["tornado", file, "--output", "cost:AAA:NDPR:2024"]);
    assert!(
        !ok && stderr.contains("unknown measure \"cost\""),
        "{stderr}"
    );
    let (ok, _, stderr) = rareflow(&["tornado", file, "--output", "price:AAA:2024"]);
    assert!(
        !ok && stderr.contains("price:REGION:COMMODITY:YEAR"),
        "{stderr}"
    );
    let (ok, _, stderr) = rareflow(&["tornado", file, "--output", "price:AAA:NDPR:2040"]);
    assert!(
        !ok && stderr.contains("outside the scenario's horizon"),
        "{stderr}"
    );
    let shipped = "scenarios/in-force-2026.ron";
    let (ok, _, stderr) = rareflow(&["tornado", shipped, "--output", "price:JPN:DYTB:2027"]);
    assert!(!ok && stderr.contains("--default-ranges"), "{stderr}");
}

#[test]
fn ranges_lists_the_files_inputs_and_the_defaults_on_request() {
    let folder = tempfile::tempdir().expect("temp dir");
    let file = short_network(folder.path());
    let table = succeeds(&["ranges", file.to_str().expect("utf-8")]);
    assert!(
        table.contains("2 uncertain input(s): 2 in the file, 0 default"),
        "{table}"
    );
    assert!(
        table.contains("×0.55") && table.contains("×1.45"),
        "{table}"
    );
    let shipped = "scenarios/in-force-2026.ron";
    let none = succeeds(&["ranges", shipped]);
    assert!(none.contains("0 uncertain input(s)"), "{none}");
    let defaults = succeeds(&["ranges", shipped, "--defaults"]);
    let nolans = defaults
        .lines()
        .find(|line| line.starts_with("MINE-AUS-nolans_arafura.start_year "))
        .expect("Nolans' start year");
    assert!(
        nolans.contains("year_slip") && nolans.contains("+10 y"),
        "{nolans}"
    );
    assert!(nolans.contains("start-slip-planned"), "{nolans}");
    // --write saves the scenario with the defaults as its own ranges; listing it again
    // finds them all in the file and adds none.
    let folder = tempfile::tempdir().expect("temp dir");
    let written = folder.path().join("ranged.ron");
    let written = written.to_str().expect("utf-8");
    succeeds(&["ranges", shipped, "--defaults", "--write", written]);
    let count = rareflow::uncertainty::default_ranges(
        &rareflow::io::load(Path::new(shipped)).expect("loads"),
    )
    .len();
    let again = succeeds(&["ranges", written, "--defaults"]);
    let expected = format!("{count} uncertain input(s): {count} in the file, 0 default");
    assert!(again.contains(&expected), "{again}");
    succeeds(&["validate", written]);
}

/// in-force-2026 to 2030 (the years before the output's are what set it) with every
/// default range: one bar per default, ranked, every run solved, and the bars whose
/// direction is plain point the right way.
#[test]
fn the_tornado_of_in_force_2026_with_default_ranges_is_ranked_and_sane() {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/in-force-2026.ron");
    let mut scenario = rareflow::io::load(&shipped).expect("loads");
    scenario.meta.last_year = 2030;
    let defaults = rareflow::uncertainty::default_ranges(&scenario);
    let folder = tempfile::tempdir().expect("temp dir");
    let file = folder.path().join("in-force-to-2030.ron");
    rareflow::io::save(&file, &scenario).expect("saves");
    let json = succeeds(&[
        "tornado",
        file.to_str().expect("utf-8"),
        "--output",
        "price:JPN:DYTB:2027",
        "--default-ranges",
        "--json",
    ]);
    let chart: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    let bars = chart["bars"].as_array().expect("bars");
    assert_eq!(bars.len(), defaults.len());
    assert!(defaults.len() > 100, "{}", defaults.len());
    let swings: Vec<f64> = bars
        .iter()
        .map(|b| b["swing"].as_f64().expect("swing"))
        .collect();
    assert!(
        swings.windows(2).all(|pair| pair[0] >= pair[1]),
        "{swings:?}"
    );
    assert!(swings[0] > 0.0);
    assert!(
        bars.iter()
            .all(|b| b["output_at_low"].is_f64() && b["output_at_high"].is_f64()),
        "a run failed"
    );
    let bar = |id: &str| {
        let found = bars.iter().find(|b| b["input"] == id).expect(id);
        let end = |key: &str| found[key].as_f64().expect(key);
        (end("output_at_low"), end("output_at_high"))
    };
    // Less of China's heavy rare-earth ore, a tighter Dy/Tb licence cap, a later Eneabba
    // stockpile: each raises Japan's Dy/Tb price.
    let (low, high) = bar("MINE-CHN-ion_adsorption_clay.capacity");
    assert!(low > high, "{low} {high}");
    let (low, high) = bar("cn-licence-dytb.severity");
    assert!(low > high, "{low} {high}");
    let (on_time, late) = bar("MINE-AUS-iluka_eneabba_stockpile.start_year");
    assert!(late > on_time, "{on_time} {late}");
}
