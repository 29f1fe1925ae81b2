//! A real process killed with SIGKILL mid-work loses nothing that was autosaved, and the
//! next start offers to restore it.
//!
//! The killed process is this test binary started again on one test,
//! [`two_clicked_edits_are_autosaved_in_time`], with [`CHILD_DIR_ENV`] set: it runs the real
//! app (every panel, the solver, autosave on its own thread) in a kittest harness, clicks
//! two policies' switches, and keeps drawing frames until it is killed. Run on its own
//! (without the variable) that test checks the same edits in a temporary folder and ends.
#![cfg(feature = "gui")]

mod ui_support;

use std::io::BufRead as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use rareflow::app::RareflowApp;
use rareflow::app::state::UiPrefs;
use rareflow::document::Document;
use rareflow::recovery::MIN_INTERVAL;

/// Set in the child process: the recovery folder it autosaves into.
const CHILD_DIR_ENV: &str = "RAREFLOW_KILL_TEST_CHILD_DIR";
const CHILD_TEST: &str = "two_clicked_edits_are_autosaved_in_time";

const INDIA_HALT: (&str, &str) = (
    "India halts rare-earth exports to Japan",
    "in-exports-japan-halt",
);
const VIETNAM_BAN: (&str, &str) = ("Vietnam bans raw rare-earth ore exports", "vn-raw-ore-ban");

/// The promise made to users: an edit is on disk within this long.
const PROMISED: Duration = Duration::from_secs(5);

/// The app on the built-in baseline with autosave into `dir`.
fn app_harness(dir: &Path) -> Harness<'static, RareflowApp> {
    let baseline = rareflow::baseline().expect("baseline");
    let app = RareflowApp::new(
        &egui::Context::default(),
        Document::built_in(baseline.clone()),
        baseline,
        UiPrefs::default(),
        false,
    )
    .with_recovery(Some(dir));
    Harness::builder()
        .with_size(egui::vec2(1500.0, 950.0))
        .build_ui_state(|ui, app: &mut RareflowApp| app.ui_frame(ui), app)
}

fn policy_on(harness: &Harness<'static, RareflowApp>, policy: &str) -> bool {
    let scenario = harness.state().document().scenario();
    scenario.policy(policy).expect("policy").enabled
}

/// Clicks a policy's switch and returns when (the click's frame has run).
fn click_switch(harness: &mut Harness<'static, RareflowApp>, label: &str) -> Instant {
    harness.get_by_role_and_label(Role::CheckBox, label).click();
    harness.run_steps(1);
    Instant::now()
}

/// Draws frames (as the window would, ~60 a second) until `done` or `timeout`; returns the
/// time it took.
fn frames_until(
    harness: &mut Harness<'static, RareflowApp>,
    timeout: Duration,
    mut done: impl FnMut(&Harness<'static, RareflowApp>) -> bool,
) -> Option<Duration> {
    let started = Instant::now();
    while started.elapsed() < timeout {
        if done(harness) {
            return Some(started.elapsed());
        }
        harness.run_steps(1);
        std::thread::sleep(Duration::from_millis(16));
    }
    None
}

/// Whether the recovery file on disk has `policy` switched on.
fn recovered_on(path: &Path, policy: &str) -> bool {
    // Atomic saves: the file is the previous complete one or the new complete one.
    rareflow::io::parse_file(path)
        .ok()
        .and_then(|scenario| Some(scenario.policy(policy)?.enabled))
        .unwrap_or(false)
}

/// The child (or, alone, a test of the same edits): clicks India's halt, waits for the
/// autosave, then clicks Vietnam's ban at once (inside the interval, the slowest case)
/// and waits again. In the child it then draws frames until it is killed.
#[test]
fn two_clicked_edits_are_autosaved_in_time() {
    let child_dir = std::env::var_os(CHILD_DIR_ENV).map(PathBuf::from);
    let folder = tempfile::tempdir().expect("temp dir");
    let dir = child_dir
        .clone()
        .unwrap_or_else(|| folder.path().to_owned());
    let mut harness = app_harness(&dir);
    harness.run_steps(2);
    let file = harness.state().recovery_file().expect("autosave is on");
    for (label, policy) in [INDIA_HALT, VIETNAM_BAN] {
        click_switch(&mut harness, label);
        println!("EDITED {policy}");
        let took = frames_until(&mut harness, PROMISED, |_| recovered_on(&file, policy))
            .unwrap_or_else(|| panic!("{policy} was not autosaved within {PROMISED:?}"));
        println!("AUTOSAVED {policy} after {} ms", took.as_millis());
    }
    assert!(policy_on(&harness, INDIA_HALT.1) && policy_on(&harness, VIETNAM_BAN.1));
    if child_dir.is_some() {
        println!("WAITING TO BE KILLED");
        loop {
            harness.run_steps(1);
            std::thread::sleep(Duration::from_millis(16));
        }
    }
}

/// What the parent saw of the child's edits.
struct Watched {
    /// From the child's report of an edit to the parent seeing it complete on disk.
    to_disk: Vec<Duration>,
}

/// Follows the child's lines; for every edit, times how long until the recovery file in
/// `dir` holds it. (libtest may put a line's start after its own "test … " text.)
fn watch_child(child: &mut std::process::Child, dir: &Path) -> Watched {
    let stdout = child.stdout.take().expect("piped");
    let mut lines = std::io::BufReader::new(stdout).lines();
    let mut to_disk = Vec::new();
    while let Some(Ok(line)) = lines.next() {
        if let Some((_, policy)) = line.split_once("EDITED ") {
            let edited = Instant::now();
            let mut last_seen = None;
            let took = loop {
                if newest_recovery_holds(dir, policy, &mut last_seen) {
                    break edited.elapsed();
                }
                assert!(
                    edited.elapsed() < PROMISED,
                    "{policy} never reached the disk"
                );
                std::thread::sleep(Duration::from_millis(2));
            };
            to_disk.push(took);
        }
        if line.contains("WAITING TO BE KILLED") {
            return Watched { to_disk };
        }
    }
    panic!("the child ended before its edits were autosaved");
}

/// Whether a recovery file in `dir` holds `policy` switched on; reads a file only when its
/// sidecar (written after it) changed since `last_seen`, so watching costs the child little.
fn newest_recovery_holds(
    dir: &Path,
    policy: &str,
    last_seen: &mut Option<std::time::SystemTime>,
) -> bool {
    recovery_files(dir).iter().any(|path| {
        let written = std::fs::metadata(path.with_extension("json")).and_then(|m| m.modified());
        match written {
            Ok(written) if Some(written) != *last_seen => {
                *last_seen = Some(written);
                recovered_on(path, policy)
            }
            _ => false,
        }
    })
}

fn recovery_files(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .expect("folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "ron"))
        .collect()
}

#[test]
fn a_killed_app_offers_its_unsaved_changes_and_restores_them() {
    let folder = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", CHILD_TEST, "--nocapture", "--test-threads=1"])
        .env(CHILD_DIR_ENV, folder.path())
        .stdout(Stdio::piped())
        .spawn()
        .expect("the child starts");
    let watched = watch_child(&mut child, folder.path());
    // SIGKILL on Unix (TerminateProcess on Windows): no destructor, no clean exit.
    child.kill().expect("killed");
    let status = child.wait().expect("ends");
    assert!(!status.success(), "it was killed, not ended: {status}");
    for (edit, took) in watched.to_disk.iter().enumerate() {
        println!(
            "edit {} was on disk {} ms after its click",
            edit + 1,
            took.as_millis()
        );
    }
    assert_eq!(watched.to_disk.len(), 2);
    // The second edit came right after a write: it waits out the interval, no more.
    assert!(watched.to_disk[1] < MIN_INTERVAL + Duration::from_secs(1));
    assert!(watched.to_disk.iter().all(|took| *took < PROMISED));

    let mut harness = app_harness(folder.path());
    harness.run_steps(4);
    harness.get_by_label_contains("rareflow did not close properly");
    assert!(
        !policy_on(&harness, INDIA_HALT.1),
        "not restored before asked"
    );
    harness
        .get_by_role_and_label(Role::Button, "Restore")
        .click();
    harness.run_steps(4);
    assert!(harness.query_by_label("Recover unsaved changes").is_none());
    assert!(policy_on(&harness, INDIA_HALT.1) && policy_on(&harness, VIETNAM_BAN.1));
    let document = harness.state().document();
    assert!(document.is_dirty(), "restored changes are unsaved changes");
    assert_eq!(document.path(), None, "the baseline was never saved");

    // The dead instance's files are gone; this instance autosaves the restored changes.
    let own = harness.state().recovery_file().expect("autosave is on");
    assert!(harness.state().wait_until_autosaved(PROMISED));
    assert_eq!(recovery_files(folder.path()), vec![own.clone()]);
    assert!(recovered_on(&own, VIETNAM_BAN.1));
    drop(harness);
    assert!(!own.exists(), "a clean exit removes the recovery file");
}
