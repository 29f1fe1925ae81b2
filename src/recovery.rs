//! Autosave and crash recovery, as office software does it: unsaved changes are written to
//! a recovery file shortly after every edit, so a crash, a kill or a power cut loses at most
//! the last second or so of work; a save or a clean exit removes the file.
//!
//! Layout of the recovery folder ([`default_dir`], or `$RAREFLOW_RECOVERY_DIR`):
//!
//! ```text
//! <session>.lock        held locked (File::try_lock) for the life of the process
//! <session>-<slot>.ron  the document's scenario, a normal scenario file (atomic save)
//! <session>-<slot>.json the sidecar: the original file, the time, the process id
//! ```
//!
//! `<session>` is the process id and its start time, so every instance has files of its
//! own and a reused process id never passes for the old process. A recovery file is an
//! *orphan* when nobody holds its session's lock: its process is gone. The operating system
//! drops a lock when a process dies, whatever killed it, so no process table is read.
//! [`find_orphans`] locks the dead session's lock file itself, which claims the orphan: two
//! instances started together never both offer it.
//!
//! Writing happens on a thread of its own ([`Autosave`]): the caller only clones the
//! scenario (well under a millisecond), and a slow disk never holds up a frame.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use crate::document::Document;
use crate::model::Scenario;

/// Overrides the recovery folder (tests; several profiles).
pub const RECOVERY_DIR_ENV: &str = "RAREFLOW_RECOVERY_DIR";

/// Two autosaves are at least this far apart: a slider dragged for ten seconds writes ten
/// files, not six hundred. An edit is written at most this long after it was made.
pub const MIN_INTERVAL: Duration = Duration::from_secs(1);

/// The recovery folder: `$RAREFLOW_RECOVERY_DIR`, else the platform's data folder
/// (`$XDG_DATA_HOME` or `~/.local/share` on Linux, `~/Library/Application Support` on
/// macOS, `%LOCALAPPDATA%` on Windows) + `rareflow/recovery`. None when there is no home.
pub fn default_dir() -> Option<PathBuf> {
    let env_path = |name: &str| {
        std::env::var_os(name)
            .filter(|value| !value.is_empty())
            .map(PathBuf::from)
    };
    if let Some(dir) = env_path(RECOVERY_DIR_ENV) {
        return Some(dir);
    }
    let data = if cfg!(windows) {
        env_path("LOCALAPPDATA")?
    } else if cfg!(target_os = "macos") {
        env_path("HOME")?.join("Library/Application Support")
    } else {
        env_path("XDG_DATA_HOME").or_else(|| Some(env_path("HOME")?.join(".local/share")))?
    };
    Some(data.join("rareflow").join("recovery"))
}

/// The sidecar of a recovery file: what the recovery dialog tells the user.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RecoveryInfo {
    /// The file the document was opened from or last saved to (None: never saved).
    pub original_path: Option<PathBuf>,
    /// The scenario's name, for documents that were never saved.
    pub scenario_name: String,
    /// When the recovery file was written, seconds since 1970 (UTC).
    pub saved_at_unix_s: u64,
    /// The process that wrote it.
    pub pid: u32,
}

impl RecoveryInfo {
    /// The original file's name, or the scenario's name when it was never saved.
    pub fn document_name(&self) -> String {
        self.original_path
            .as_deref()
            .and_then(Path::file_name)
            .map_or_else(
                || self.scenario_name.clone(),
                |name| name.to_string_lossy().into_owned(),
            )
    }

    /// "3 min ago", from `now_unix_s`.
    pub fn age_text(&self, now_unix_s: u64) -> String {
        let age_s = now_unix_s.saturating_sub(self.saved_at_unix_s);
        match age_s {
            0..60 => format!("{age_s} s ago"),
            60..7200 => format!("{} min ago", age_s / 60),
            7200..172_800 => format!("{} h ago", age_s / 3600),
            _ => format!("{} days ago", age_s / 86_400),
        }
    }
}

/// Seconds since 1970 now.
pub fn now_unix_s() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| since.as_secs())
}

/// Why the recovery folder could not be used.
#[derive(Debug, thiserror::Error)]
pub enum RecoveryError {
    #[error("{path}: cannot use the recovery folder: {source}")]
    Folder {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the recovery file: {0}")]
    Save(#[from] crate::io::SaveError),
    #[error("cannot read the recovery file: {0}")]
    Load(#[from] crate::io::LoadError),
}

/// One process's claim on the recovery folder: its lock, held until it is dropped.
struct Session {
    dir: PathBuf,
    key: String,
    lock_path: PathBuf,
    _lock: File,
}

impl Session {
    fn start(dir: &Path) -> Result<Self, RecoveryError> {
        let folder_error = |source| RecoveryError::Folder {
            path: dir.to_owned(),
            source,
        };
        std::fs::create_dir_all(dir).map_err(folder_error)?;
        let started_ns = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| since.as_nanos());
        let key = format!("{}-{started_ns}", std::process::id());
        let lock_path = dir.join(format!("{key}.lock"));
        let lock = File::create(&lock_path).map_err(folder_error)?;
        lock.try_lock()
            .map_err(|error| folder_error(error.into()))?;
        Ok(Self {
            dir: dir.to_owned(),
            key,
            lock_path,
            _lock: lock,
        })
    }

    fn scenario_path(&self, slot: u32) -> PathBuf {
        self.dir.join(format!("{}-{slot}.ron", self.key))
    }

    fn sidecar_path(&self, slot: u32) -> PathBuf {
        self.dir.join(format!("{}-{slot}.json", self.key))
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // Still holding the lock: nobody takes the files for an orphan meanwhile.
        let _ = std::fs::remove_file(&self.lock_path);
    }
}

/// What the writer thread is asked to do; only the newest request counts.
enum Job {
    Write {
        scenario: Box<Scenario>,
        info: RecoveryInfo,
    },
    Remove,
}

/// What the writer thread has done, for waiting on it and for reporting.
#[derive(Default)]
struct WriterStatus {
    jobs_done: u64,
    last_error: Option<String>,
    /// How long the last write took (serialise, write, sync, rename).
    last_write: Option<Duration>,
}

type SharedStatus = Arc<(Mutex<WriterStatus>, Condvar)>;

/// Autosaves one document: call [`Autosave::update`] after every change (every frame is
/// fine: it costs nothing when nothing changed). Dropping it outside a panic is a clean
/// exit and removes the recovery file; a panic leaves the file for the next start.
pub struct Autosave {
    session: Arc<Session>,
    slot: u32,
    jobs: Option<Sender<Job>>,
    writer: Option<std::thread::JoinHandle<()>>,
    status: SharedStatus,
    jobs_sent: u64,
    /// The revision written (or being written); None when no recovery file is wanted.
    queued_revision: Option<u64>,
    /// A recovery file exists or is being written.
    file_wanted: bool,
    last_sent: Option<Instant>,
}

impl Autosave {
    /// Claims a session in `dir` (created if missing) and starts the writer thread.
    pub fn start(dir: &Path) -> Result<Self, RecoveryError> {
        let session = Arc::new(Session::start(dir)?);
        let status = SharedStatus::default();
        let (sender, receiver) = std::sync::mpsc::channel();
        let writer = {
            let (session, status) = (Arc::clone(&session), Arc::clone(&status));
            std::thread::Builder::new()
                .name("rareflow-autosave".to_owned())
                .spawn(move || write_jobs(&receiver, &session, 0, &status))
                .map_err(|source| RecoveryError::Folder {
                    path: dir.to_owned(),
                    source,
                })?
        };
        Ok(Self {
            session,
            slot: 0,
            jobs: Some(sender),
            writer: Some(writer),
            status,
            jobs_sent: 0,
            queued_revision: None,
            file_wanted: false,
            last_sent: None,
        })
    }

    /// The recovery file of this document (it exists only while there are unsaved changes).
    pub fn recovery_file(&self) -> PathBuf {
        self.session.scenario_path(self.slot)
    }

    /// Writes the document's unsaved changes if they are not written yet and the last
    /// write is at least [`MIN_INTERVAL`] ago; removes the recovery file once nothing is
    /// unsaved (a save, an undo back to the saved state, a new document). Returns how long
    /// to wait before calling again when a write had to wait.
    pub fn update(&mut self, document: &Document, now: Instant) -> Option<Duration> {
        if !document.is_dirty() {
            if self.file_wanted {
                self.send(Job::Remove);
                self.file_wanted = false;
            }
            self.queued_revision = None;
            return None;
        }
        if self.queued_revision == Some(document.revision()) {
            return None;
        }
        if let Some(last) = self.last_sent {
            let since = now.saturating_duration_since(last);
            if since < MIN_INTERVAL {
                return Some(MIN_INTERVAL - since);
            }
        }
        let scenario = document.scenario();
        self.send(Job::Write {
            scenario: Box::new(scenario.clone()),
            info: RecoveryInfo {
                original_path: document.path().map(Path::to_owned),
                scenario_name: scenario.meta.name.clone(),
                saved_at_unix_s: now_unix_s(),
                pid: std::process::id(),
            },
        });
        self.queued_revision = Some(document.revision());
        self.file_wanted = true;
        self.last_sent = Some(now);
        None
    }

    fn send(&mut self, job: Job) {
        if let Some(jobs) = &self.jobs
            && jobs.send(job).is_ok()
        {
            self.jobs_sent += 1;
        }
    }

    /// Waits until every request so far is on disk (tests). False on timeout.
    pub fn wait_idle(&self, timeout: Duration) -> bool {
        let (lock, changed) = &*self.status;
        let status = lock.lock().unwrap_or_else(PoisonError::into_inner);
        let (status, waited) = changed
            .wait_timeout_while(status, timeout, |status| status.jobs_done < self.jobs_sent)
            .unwrap_or_else(PoisonError::into_inner);
        drop(status);
        !waited.timed_out()
    }

    /// Why the last autosave failed, if it did.
    pub fn last_error(&self) -> Option<String> {
        self.lock_status().last_error.clone()
    }

    /// How long the last autosave took on the writer thread.
    pub fn last_write_duration(&self) -> Option<Duration> {
        self.lock_status().last_write
    }

    fn lock_status(&self) -> std::sync::MutexGuard<'_, WriterStatus> {
        self.status.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for Autosave {
    fn drop(&mut self) {
        // A crash leaves the recovery file for the next start to offer; a clean exit removes
        // it. Either way the writer is let go and waited for, so that the session's lock is
        // released when this returns (a panicking thread in a live process, not only a dead
        // process, leaves a claimable orphan: the next start's search found none while the
        // writer still held the lock).
        if self.file_wanted && !std::thread::panicking() {
            self.send(Job::Remove);
        }
        self.jobs = None;
        if let Some(writer) = self.writer.take() {
            let _ = writer.join();
        }
    }
}

/// The writer thread: carries out the newest job of every batch until the sender is gone.
fn write_jobs(jobs: &Receiver<Job>, session: &Session, slot: u32, status: &SharedStatus) {
    while let Ok(mut job) = jobs.recv() {
        let mut skipped = 0;
        while let Ok(newer) = jobs.try_recv() {
            job = newer;
            skipped += 1;
        }
        let started = Instant::now();
        let result = match job {
            Job::Write { scenario, info } => write_recovery(session, slot, &scenario, &info),
            Job::Remove => remove_recovery(session, slot),
        };
        let (lock, changed) = &**status;
        let mut status = lock.lock().unwrap_or_else(PoisonError::into_inner);
        status.jobs_done += 1 + skipped;
        match result {
            Ok(wrote) => {
                status.last_error = None;
                if wrote {
                    status.last_write = Some(started.elapsed());
                }
            }
            Err(error) => {
                eprintln!("rareflow: autosave: {error}");
                status.last_error = Some(error.to_string());
            }
        }
        changed.notify_all();
    }
}

/// The scenario first, then the sidecar: a sidecar always has its scenario complete.
fn write_recovery(
    session: &Session,
    slot: u32,
    scenario: &Scenario,
    info: &RecoveryInfo,
) -> Result<bool, RecoveryError> {
    crate::io::save(&session.scenario_path(slot), scenario)?;
    let json = serde_json::to_vec_pretty(info).unwrap_or_default();
    crate::io::write_atomically(&session.sidecar_path(slot), |file| {
        std::io::Write::write_all(file, &json)
    })?;
    Ok(true)
}

/// The sidecar first: a scenario without its sidecar is never offered.
fn remove_recovery(session: &Session, slot: u32) -> Result<bool, RecoveryError> {
    for path in [session.sidecar_path(slot), session.scenario_path(slot)] {
        match std::fs::remove_file(&path) {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {}
            Err(source) => return Err(RecoveryError::Folder { path, source }),
        }
    }
    Ok(false)
}

/// Unsaved changes left by a process that is gone. Holding it holds the dead session's
/// lock: no other instance offers the same files meanwhile.
pub struct Orphan {
    pub info: RecoveryInfo,
    pub scenario_file: PathBuf,
    sidecar_file: PathBuf,
    lock_path: PathBuf,
    claim: Arc<File>,
}

impl Orphan {
    /// The recovered scenario (not validated: unsaved work may be mid-way).
    pub fn load(&self) -> Result<Scenario, RecoveryError> {
        Ok(crate::io::parse_file(&self.scenario_file)?)
    }

    /// Removes the recovery file, its sidecar and (with its last orphan) the dead
    /// session's lock file.
    pub fn discard(self) {
        for path in [&self.sidecar_file, &self.scenario_file] {
            let _ = std::fs::remove_file(path);
        }
        if Arc::strong_count(&self.claim) == 1 {
            let _ = std::fs::remove_file(&self.lock_path);
        }
    }
}

/// The recovery files in `dir` whose process is gone, oldest first. Lock files of dead
/// sessions with nothing left to recover are removed on the way.
pub fn find_orphans(dir: &Path) -> Vec<Orphan> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .filter_map(|entry| entry.ok()?.file_name().into_string().ok())
        .collect();
    names.sort();
    let mut orphans = Vec::new();
    // One claim per dead session, shared by its documents (a second lock of the same file
    // in this process would fail).
    let mut claims: Vec<(String, Arc<File>)> = Vec::new();
    for name in names.iter().filter(|name| name.ends_with(".json")) {
        let stem = name.trim_end_matches(".json");
        let Some((key, _slot)) = stem.rsplit_once('-') else {
            continue;
        };
        let scenario_file = dir.join(format!("{stem}.ron"));
        let lock_path = dir.join(format!("{key}.lock"));
        if !scenario_file.is_file() {
            continue;
        }
        let claim = match claims.iter().find(|(claimed, _)| claimed == key) {
            Some((_, claim)) => Arc::clone(claim),
            None => match claim_dead_session(&lock_path) {
                Some(claim) => {
                    claims.push((key.to_owned(), Arc::clone(&claim)));
                    claim
                }
                None => continue,
            },
        };
        let sidecar_file = dir.join(name);
        let Some(info) = std::fs::read(&sidecar_file)
            .ok()
            .and_then(|bytes| serde_json::from_slice::<RecoveryInfo>(&bytes).ok())
        else {
            continue;
        };
        orphans.push(Orphan {
            info,
            scenario_file,
            sidecar_file,
            lock_path,
            claim,
        });
    }
    remove_stale_locks(dir, &names);
    orphans.sort_by_key(|orphan| orphan.info.saved_at_unix_s);
    orphans
}

/// Locks the session's lock file, which succeeds only when its process is gone: a live
/// process holds it, and the operating system frees it whatever ends the process.
fn claim_dead_session(lock_path: &Path) -> Option<Arc<File>> {
    let file = File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .open(lock_path)
        .ok()?;
    file.try_lock().ok()?;
    Some(Arc::new(file))
}

/// Lock files of dead sessions that left no recovery file behind.
fn remove_stale_locks(dir: &Path, names: &[String]) {
    for name in names.iter().filter(|name| name.ends_with(".lock")) {
        let key = name.trim_end_matches(".lock");
        let prefix = format!("{key}-");
        if names.iter().any(|other| other.starts_with(&prefix)) {
            continue;
        }
        let path = dir.join(name);
        if let Ok(file) = File::open(&path)
            && file.try_lock().is_ok()
        {
            let _ = std::fs::remove_file(&path);
        }
    }
}

#[cfg(test)]
#[path = "recovery_tests.rs"]
mod tests;
