//! Autosave: writing, debouncing, removal on save and clean exit, orphans, two instances.

use super::*;
use crate::model::Edit;

const LYNAS: &str = "SEP-MYS-lynas_malaysia_gebeng";
const WAIT: Duration = Duration::from_secs(10);

fn set_lynas(document: &mut Document, capacity_t_per_yr: f64) {
    let edit = Edit::SetNodeCapacity {
        node: LYNAS.to_owned(),
        capacity_t_per_yr,
    };
    assert!(document.apply(&edit, false).expect("applies"));
}

fn lynas_in(scenario: &Scenario) -> f64 {
    scenario.node(LYNAS).expect("node").capacity_t_per_yr
}

fn baseline_document() -> Document {
    Document::built_in(crate::baseline().expect("baseline"))
}

fn recovered_lynas(path: &Path) -> f64 {
    lynas_in(&crate::io::parse_file(path).expect("the recovery file loads"))
}

fn files_in(dir: &Path, ending: &str) -> usize {
    std::fs::read_dir(dir)
        .expect("folder")
        .filter(|entry| {
            let name = entry.as_ref().expect("entry").file_name();
            name.to_string_lossy().ends_with(ending)
        })
        .count()
}

#[test]
fn an_edit_is_written_and_a_save_removes_it() {
    let folder = tempfile::tempdir().expect("temp dir");
    let mut autosave = Autosave::start(folder.path()).expect("starts");
    let mut document = baseline_document();
    let now = Instant::now();
    assert_eq!(autosave.update(&document, now), None);
    assert!(autosave.wait_idle(WAIT));
    assert!(!autosave.recovery_file().exists(), "nothing unsaved yet");

    set_lynas(&mut document, 30_000.0);
    assert_eq!(autosave.update(&document, now), None);
    assert!(autosave.wait_idle(WAIT));
    assert_eq!(recovered_lynas(&autosave.recovery_file()), 30_000.0);
    let sidecar = autosave.recovery_file().with_extension("json");
    let info: RecoveryInfo =
        serde_json::from_slice(&std::fs::read(&sidecar).expect("sidecar")).expect("json");
    assert_eq!(info.pid, std::process::id());
    assert_eq!(info.original_path, None);
    assert_eq!(info.scenario_name, document.scenario().meta.name);
    assert!(now_unix_s().abs_diff(info.saved_at_unix_s) < 60);
    let write_ms = autosave.last_write_duration().expect("timed").as_secs_f64() * 1e3;
    let bytes = std::fs::metadata(autosave.recovery_file())
        .expect("file")
        .len();
    let cloned = Instant::now();
    let copy = document.scenario().clone();
    let clone_ms = cloned.elapsed().as_secs_f64() * 1e3;
    assert_eq!(&copy, document.scenario());
    println!(
        "one autosave of the baseline ({} kB) took {write_ms:.1} ms on the writer thread; \
         the frame's part, a clone, {clone_ms:.2} ms",
        bytes / 1000
    );
    assert!(write_ms < 2_000.0, "an autosave took {write_ms} ms");

    let saved = folder.path().join("mine.ron");
    document.save_as(&saved).expect("saves");
    autosave.update(&document, now + MIN_INTERVAL);
    assert!(autosave.wait_idle(WAIT));
    assert!(
        !autosave.recovery_file().exists(),
        "a save makes it unneeded"
    );
    assert!(!sidecar.exists());

    // A new edit writes it again, with the file it belongs to.
    set_lynas(&mut document, 31_000.0);
    autosave.update(&document, now + 2 * MIN_INTERVAL);
    assert!(autosave.wait_idle(WAIT));
    assert_eq!(recovered_lynas(&autosave.recovery_file()), 31_000.0);
    let info: RecoveryInfo =
        serde_json::from_slice(&std::fs::read(&sidecar).expect("sidecar")).expect("json");
    assert_eq!(info.original_path.as_deref(), Some(saved.as_path()));
    assert_eq!(info.document_name(), "mine.ron");
}

#[test]
fn writes_are_at_least_the_interval_apart_and_the_last_edit_follows() {
    let folder = tempfile::tempdir().expect("temp dir");
    let mut autosave = Autosave::start(folder.path()).expect("starts");
    let mut document = baseline_document();
    let start = Instant::now();
    set_lynas(&mut document, 25_000.0);
    assert_eq!(autosave.update(&document, start), None);
    assert!(autosave.wait_idle(WAIT));

    set_lynas(&mut document, 26_000.0);
    let later = start + Duration::from_millis(300);
    assert_eq!(
        autosave.update(&document, later),
        Some(Duration::from_millis(700)),
        "waits out the interval"
    );
    assert!(autosave.wait_idle(WAIT));
    assert_eq!(recovered_lynas(&autosave.recovery_file()), 25_000.0);
    // Nothing changes on the next frames until the interval has passed.
    assert_eq!(
        autosave.update(&document, start + Duration::from_millis(900)),
        Some(Duration::from_millis(100))
    );
    assert_eq!(autosave.update(&document, start + MIN_INTERVAL), None);
    assert!(autosave.wait_idle(WAIT));
    assert_eq!(recovered_lynas(&autosave.recovery_file()), 26_000.0);
    // The same revision is not written twice.
    assert_eq!(autosave.update(&document, start + 5 * MIN_INTERVAL), None);
    assert_eq!(autosave.jobs_sent, 2);
}

#[test]
fn undo_back_to_the_saved_state_removes_the_file() {
    let folder = tempfile::tempdir().expect("temp dir");
    let mut autosave = Autosave::start(folder.path()).expect("starts");
    let mut document = baseline_document();
    set_lynas(&mut document, 30_000.0);
    autosave.update(&document, Instant::now());
    assert!(autosave.wait_idle(WAIT));
    assert!(autosave.recovery_file().exists());
    assert!(document.undo());
    autosave.update(&document, Instant::now());
    assert!(autosave.wait_idle(WAIT));
    assert!(!autosave.recovery_file().exists());
}

#[test]
fn a_clean_exit_removes_everything_and_a_panic_leaves_an_orphan() {
    let folder = tempfile::tempdir().expect("temp dir");
    let mut document = baseline_document();
    set_lynas(&mut document, 30_000.0);
    let mut autosave = Autosave::start(folder.path()).expect("starts");
    autosave.update(&document, Instant::now());
    assert!(autosave.wait_idle(WAIT));
    drop(autosave);
    assert_eq!(
        std::fs::read_dir(folder.path()).expect("folder").count(),
        0,
        "a clean exit leaves no file, not even the lock"
    );

    let mut autosave = Autosave::start(folder.path()).expect("starts");
    autosave.update(&document, Instant::now());
    assert!(autosave.wait_idle(WAIT));
    let crashed = std::thread::spawn(move || {
        let _autosave = autosave;
        panic!("a bug in the app (expected by this test)");
    });
    assert!(crashed.join().is_err());
    let orphans = find_orphans(folder.path());
    assert_eq!(orphans.len(), 1);
    assert_eq!(lynas_in(&orphans[0].load().expect("loads")), 30_000.0);
}

#[test]
fn the_files_of_a_dead_process_are_orphans_and_a_claim_is_exclusive() {
    let folder = tempfile::tempdir().expect("temp dir");
    // A real process that has ended: its id names the files, nobody holds its lock.
    let mut child = std::process::Command::new(std::env::current_exe().expect("exe"))
        .arg("--list")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("spawns");
    let dead_pid = child.id();
    assert!(child.wait().expect("ends").success());
    let key = format!("{dead_pid}-1234");
    let mut scenario = crate::baseline().expect("baseline");
    scenario.nodes.retain(|node| node.id != LYNAS);
    crate::io::save(&folder.path().join(format!("{key}-0.ron")), &scenario).expect("saves");
    let info = RecoveryInfo {
        original_path: Some(PathBuf::from("/home/someone/what-if.ron")),
        scenario_name: "What if".to_owned(),
        saved_at_unix_s: now_unix_s() - 180,
        pid: dead_pid,
    };
    let json = serde_json::to_vec(&info).expect("json");
    std::fs::write(folder.path().join(format!("{key}-0.json")), json).expect("writes");
    std::fs::write(folder.path().join(format!("{key}.lock")), b"").expect("writes");
    // A lock file of another dead session with nothing left: tidied away.
    std::fs::write(folder.path().join("1-1.lock"), b"").expect("writes");

    let orphans = find_orphans(folder.path());
    assert_eq!(orphans.len(), 1);
    assert_eq!(orphans[0].info, info);
    assert_eq!(orphans[0].info.document_name(), "what-if.ron");
    assert_eq!(orphans[0].info.age_text(now_unix_s()), "3 min ago");
    assert!(orphans[0].load().expect("loads").node(LYNAS).is_none());
    assert!(!folder.path().join("1-1.lock").exists());
    assert!(
        find_orphans(folder.path()).is_empty(),
        "claimed by the first look: never offered twice"
    );
    let orphan = orphans.into_iter().next().expect("one");
    orphan.discard();
    assert_eq!(std::fs::read_dir(folder.path()).expect("folder").count(), 0);
}

#[test]
fn two_instances_keep_files_of_their_own_and_are_not_orphans() {
    let folder = tempfile::tempdir().expect("temp dir");
    let mut first = Autosave::start(folder.path()).expect("starts");
    let mut second = Autosave::start(folder.path()).expect("starts");
    let (mut first_document, mut second_document) = (baseline_document(), baseline_document());
    set_lynas(&mut first_document, 1_000.0);
    set_lynas(&mut second_document, 2_000.0);
    first.update(&first_document, Instant::now());
    second.update(&second_document, Instant::now());
    assert!(first.wait_idle(WAIT) && second.wait_idle(WAIT));
    assert_ne!(first.recovery_file(), second.recovery_file());
    assert_eq!(recovered_lynas(&first.recovery_file()), 1_000.0);
    assert_eq!(recovered_lynas(&second.recovery_file()), 2_000.0);
    assert_eq!(files_in(folder.path(), ".ron"), 2);
    assert!(find_orphans(folder.path()).is_empty(), "both are alive");

    drop(first);
    assert_eq!(files_in(folder.path(), ".ron"), 1);
    assert!(second.recovery_file().exists());
    assert!(find_orphans(folder.path()).is_empty());
}

#[test]
fn the_folder_follows_the_override() {
    // Only reads the variable this test's process was started with; never sets it (tests
    // run on threads of one process).
    let dir = default_dir();
    match std::env::var_os(RECOVERY_DIR_ENV).filter(|value| !value.is_empty()) {
        Some(value) => assert_eq!(dir, Some(PathBuf::from(value))),
        None => {
            let dir = dir.expect("a home folder");
            assert!(dir.ends_with("rareflow/recovery"), "{}", dir.display());
        }
    }
}
