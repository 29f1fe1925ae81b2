//! `rareflow deck`: the app's File > Export deck from the command line writes the same
//! slides, with the same names, each a 1920 x 1080 PNG.
#![cfg(feature = "gui")]

use std::path::Path;
use std::process::Command;

use rareflow::app::slide::{DECK_TABS, proposed_file_name};

fn rareflow(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_rareflow"))
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("runs")
}

#[test]
fn the_deck_command_writes_a_full_hd_slide_per_view_and_year_named_as_the_app_names_them() {
    let folder = tempfile::tempdir().expect("temp dir");
    let out = folder.path().join("slides");
    let output = rareflow(&[
        "deck",
        "scenarios/in-force-2026.ron",
        "--years",
        "2025,2027",
        "--out",
        out.to_str().expect("utf-8"),
        "--reference",
        "scenarios/baseline-2024.ron",
    ]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    let mut expected = Vec::new();
    for year in [2025, 2027] {
        for tab in DECK_TABS {
            expected.push(proposed_file_name("in-force-2026", tab, year));
        }
    }
    assert_eq!(expected.len(), 8);
    assert_eq!(expected[0], "in-force-2026_map_2025.png");
    let report: Vec<String> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(str::to_owned)
        .collect();
    let reported: Vec<String> = expected
        .iter()
        .map(|name| format!("wrote {}", out.join(name).display()))
        .collect();
    assert_eq!(report, reported, "every slide, in the app's order");
    for name in &expected {
        let image = image::open(out.join(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!((image.width(), image.height()), (1920, 1080), "{name}");
    }
    let mut files: Vec<String> = std::fs::read_dir(&out)
        .expect("lists")
        .map(|entry| {
            entry
                .expect("entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    files.sort();
    let mut sorted = expected.clone();
    sorted.sort();
    assert_eq!(files, sorted, "nothing else is written");
}

#[test]
fn a_year_outside_the_horizon_is_refused_before_any_slide_is_drawn() {
    let folder = tempfile::tempdir().expect("temp dir");
    let out = folder.path().join("slides");
    let output = rareflow(&[
        "deck",
        "baseline",
        "--years",
        "2025,2099",
        "--out",
        out.to_str().expect("utf-8"),
    ]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with("2099 is outside the horizon 20"),
        "{stderr}"
    );
    assert!(!Path::new(&out).exists(), "nothing written");
}
