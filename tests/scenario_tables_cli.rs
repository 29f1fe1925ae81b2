//! `rareflow export-scenario` and `rareflow import-scenario`, run as a user would.

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

fn path(path: &Path) -> &str {
    path.to_str().expect("utf-8")
}

#[test]
fn exported_tables_import_back_to_the_same_file() {
    let folder = tempfile::tempdir().expect("temp dir");
    let csv = folder.path().join("tables");
    let xlsx = folder.path().join("tables.xlsx");
    let scenario = "scenarios/western-buildout-2028.ron";
    let (ok, stdout, stderr) = rareflow(&[
        "export-scenario",
        scenario,
        "--csv",
        path(&csv),
        "--xlsx",
        path(&xlsx),
    ]);
    assert!(ok, "{stderr}");
    assert_eq!(
        stdout.lines().count(),
        15,
        "14 CSV files (uncertainty and correlations too) and the workbook: {stdout}"
    );
    assert!(csv.join("nodes.csv").exists() && csv.join("policies.csv").exists());

    let original = std::fs::read_to_string(scenario).expect("reads");
    for (flag, source) in [("--csv", &csv), ("--xlsx", &xlsx)] {
        let out = folder.path().join(format!("out{flag}.ron"));
        let (ok, stdout, stderr) = rareflow(&[
            "import-scenario",
            scenario,
            flag,
            path(source),
            "-o",
            path(&out),
        ]);
        assert!(ok, "{stderr}");
        assert!(stdout.starts_with("no changes\nwrote "), "{stdout}");
        assert_eq!(std::fs::read_to_string(&out).expect("written"), original);
    }
}

#[test]
fn a_changed_capacity_is_reported_and_written() {
    let folder = tempfile::tempdir().expect("temp dir");
    let csv = folder.path().join("tables");
    let (ok, _, stderr) = rareflow(&["export-scenario", "baseline", "--csv", path(&csv)]);
    assert!(ok, "{stderr}");
    let nodes = std::fs::read_to_string(csv.join("nodes.csv")).expect("reads");
    let edited = nodes.replacen(
        "SEP-MYS-lynas_malaysia_gebeng,\"Lynas Malaysia (Gebeng, Kuantan)\"",
        "SEP-MYS-lynas_malaysia_gebeng,Lynas Malaysia (Gebeng; Kuantan)",
        1,
    );
    assert_ne!(edited, nodes, "the row is there");
    std::fs::write(csv.join("nodes.csv"), edited).expect("writes");
    let out = folder.path().join("edited.ron");
    let (ok, stdout, stderr) = rareflow(&[
        "import-scenario",
        "baseline",
        "--csv",
        path(&csv),
        "-o",
        path(&out),
    ]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("changed (1):\n  nodes SEP-MYS-lynas_malaysia_gebeng: name\n"),
        "{stdout}"
    );
    let written = rareflow::io::load(&out).expect("valid");
    assert_eq!(
        written
            .node("SEP-MYS-lynas_malaysia_gebeng")
            .expect("node")
            .name,
        "Lynas Malaysia (Gebeng; Kuantan)"
    );
}

#[test]
fn a_refused_import_fails_and_writes_nothing() {
    let folder = tempfile::tempdir().expect("temp dir");
    let csv = folder.path().join("tables");
    let (ok, _, stderr) = rareflow(&["export-scenario", "baseline", "--csv", path(&csv)]);
    assert!(ok, "{stderr}");
    let nodes = std::fs::read_to_string(csv.join("nodes.csv")).expect("reads");
    // The second data row (spreadsheet row 3) is the ion-adsorption clay mines in China.
    let edited = nodes.replacen(
        "China Rare Earth Group and others,CHN,mine",
        "China Rare Earth Group and others,XYZ,mine",
        1,
    );
    assert_ne!(edited, nodes);
    std::fs::write(csv.join("nodes.csv"), edited).expect("writes");
    let out = folder.path().join("never.ron");
    let (ok, stdout, stderr) = rareflow(&[
        "import-scenario",
        "baseline",
        "--csv",
        path(&csv),
        "-o",
        path(&out),
    ]);
    assert!(!ok);
    assert_eq!(stdout, "");
    assert!(
        stderr.contains(
            "nodes.csv row 3, column country: node \"MINE-CHN-ion_adsorption_clay\": unknown \
             country \"XYZ\""
        ),
        "{stderr}"
    );
    assert!(
        stderr.ends_with("import refused; nothing written\n"),
        "{stderr}"
    );
    assert!(!out.exists());

    let (ok, _, stderr) = rareflow(&["import-scenario", "baseline", "-o", path(&out)]);
    assert!(!ok);
    assert!(stderr.contains("--csv <CSV>"), "{stderr}");
}
