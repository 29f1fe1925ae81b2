//! `rareflow sweep` and `sweep-merge` as a user runs them: the same seed writes the same
//! bytes, and shards merged are the whole sweep, byte for byte.

use std::path::{Path, PathBuf};
use std::process::Command;

use rareflow::model::{Distribution, UncertainInput, UncertainTarget, YearSlip};

const FILES: [&str; 5] = [
    "draws.csv",
    "run_status.csv",
    "runs.csv",
    "quantiles.csv",
    "sweep-state.txt",
];

fn rareflow(args: &[&str]) -> String {
    let output = Command::new(env!("CARGO_BIN_EXE_rareflow"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs");
    assert!(
        output.status.success(),
        "rareflow {args:?} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn range(id: &str, target: UncertainTarget, distribution: Distribution) -> UncertainInput {
    UncertainInput {
        id: id.to_owned(),
        label: id.to_owned(),
        target,
        distribution,
        source: "test range".to_owned(),
        notes: String::new(),
    }
}

/// in-force-2026 with a slip on Nolans, Dy/Tb's elasticity and China's Dy/Tb licence.
fn uncertain_in_force(folder: &Path) -> PathBuf {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/in-force-2026.ron");
    let mut scenario = rareflow::io::load(&shipped).expect("loads");
    scenario.uncertainty = vec![
        range(
            "nolans-start",
            UncertainTarget::NodeStartYear {
                node: "MINE-AUS-nolans_arafura".to_owned(),
            },
            Distribution::YearSlip(vec![
                YearSlip {
                    years: 0,
                    probability: 0.4,
                },
                YearSlip {
                    years: 2,
                    probability: 0.6,
                },
            ]),
        ),
        range(
            "dytb-elasticity",
            UncertainTarget::DemandElasticity {
                commodity: "DYTB".to_owned(),
            },
            Distribution::Triangular {
                low: 0.6,
                mode: 1.0,
                high: 1.5,
            },
        ),
        range(
            "dytb-licence",
            UncertainTarget::PolicySeverity {
                policy: "cn-licence-dytb".to_owned(),
            },
            Distribution::LogNormal {
                median: 1.0,
                sigma: 0.4,
            },
        ),
    ];
    let path = folder.join("uncertain.ron");
    rareflow::io::save(&path, &scenario).expect("saves");
    path
}

fn read(dir: &Path, name: &str) -> Vec<u8> {
    std::fs::read(dir.join(name)).unwrap_or_else(|e| panic!("{}: {e}", dir.join(name).display()))
}

#[test]
fn a_sweep_repeats_byte_for_byte_and_its_shards_merge_into_it() {
    let folder = tempfile::tempdir().expect("temp dir");
    let file = uncertain_in_force(folder.path());
    let file = file.to_str().expect("utf-8");
    let dir = |name: &str| folder.path().join(name);
    let text = |path: &PathBuf| path.to_str().expect("utf-8").to_owned();
    let sweep = |out: &str, extra: &[&str]| {
        let mut args = vec!["sweep", file, "--runs", "6", "--seed", "11", "--out", out];
        args.extend_from_slice(extra);
        rareflow(&args)
    };
    let report = sweep(&text(&dir("one")), &[]);
    assert!(
        report.contains("6 runs (0..6 of 6, seed 11): 6 solved, 0 failed"),
        "{report}"
    );
    sweep(&text(&dir("again")), &[]);
    for name in FILES {
        assert!(
            read(&dir("one"), name) == read(&dir("again"), name),
            "{name} differs"
        );
    }
    for shard in ["1/3", "2/3", "3/3"] {
        sweep(
            &text(&dir(&format!("shard{}", &shard[..1]))),
            &["--shard", shard],
        );
    }
    // In any order.
    rareflow(&[
        "sweep-merge",
        &text(&dir("shard3")),
        &text(&dir("shard1")),
        &text(&dir("shard2")),
        "--out",
        &text(&dir("merged")),
    ]);
    for name in FILES {
        assert!(
            read(&dir("one"), name) == read(&dir("merged"), name),
            "{name} differs"
        );
    }
    let runs = String::from_utf8(read(&dir("one"), "runs.csv")).expect("utf-8");
    assert!(runs.starts_with("run,measure,year,region,commodity,value\n0,price_usd_per_kg,"));
    let draws = String::from_utf8(read(&dir("one"), "draws.csv")).expect("utf-8");
    assert_eq!(draws.lines().count(), 1 + 6 * 3, "{draws}");
    let quantiles = String::from_utf8(read(&dir("one"), "quantiles.csv")).expect("utf-8");
    let dytb_japan = quantiles
        .lines()
        .find(|line| line.starts_with("shortfall_share,2026,JPN,DYTB,"))
        .expect("Japan's Dy/Tb shortfall in 2026 is summarised");
    assert_eq!(dytb_japan.split(',').nth(5), Some("6"), "{dytb_japan}");
}

#[test]
fn a_scenario_without_ranges_is_refused() {
    let output = Command::new(env!("CARGO_BIN_EXE_rareflow"))
        .args([
            "sweep",
            "scenarios/in-force-2026.ron",
            "--runs",
            "3",
            "--out",
        ])
        .arg(tempfile::tempdir().expect("dir").path())
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs");
    assert!(!output.status.success());
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("has no uncertain inputs"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}
