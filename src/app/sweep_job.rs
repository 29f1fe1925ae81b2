//! Sweeps and tornados off the UI thread.
//!
//! A [`Job`] runs one computation on a worker thread of its own with a copy of the
//! scenario, so the UI keeps drawing (and the user keeps editing) while hundreds of
//! full-horizon solves run. The worker writes its runs done into an atomic counter and
//! asks for a repaint; the UI reads the counter each frame for the progress bar. Cancel
//! sets the job's flag, which the sweep and every solve in it check, and the worker then
//! answers `Err(Cancelled)` promptly: the caller keeps what it had before.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use crate::model::Scenario;
use crate::solver::{SolverSettings, calibrate};
use crate::uncertainty::{OutputKey, SweepError, SweepSummary, Tornado, run_sweep, tornado};

/// A finished sweep, with what it was run on.
#[derive(Clone, Debug)]
pub struct SweepResult {
    pub summary: SweepSummary,
    /// The document's revision the sweep was run on: later edits make it stale.
    pub revision: u64,
    pub elapsed: Duration,
}

/// A finished tornado and the revision it was run on.
#[derive(Clone, Debug)]
pub struct TornadoResult {
    pub tornado: Tornado,
    pub revision: u64,
}

/// One computation on a worker thread.
pub struct Job<T> {
    cancel: Arc<AtomicBool>,
    runs_done: Arc<AtomicU64>,
    pub runs_total: u64,
    pub started: Instant,
    pub revision: u64,
    receiver: mpsc::Receiver<Result<T, SweepError>>,
}

/// What a poll of a job found.
pub enum JobPoll<T> {
    Running,
    Finished(T),
    Cancelled,
    Failed(String),
}

impl<T: Send + 'static> Job<T> {
    fn spawn(
        revision: u64,
        runs_total: u64,
        work: impl FnOnce(&AtomicBool, &dyn Fn(u64)) -> Result<T, SweepError> + Send + 'static,
        wake: impl Fn() + Send + Sync + 'static,
    ) -> Self {
        let cancel = Arc::new(AtomicBool::new(false));
        let runs_done = Arc::new(AtomicU64::new(0));
        let (sender, receiver) = mpsc::channel();
        let (worker_cancel, worker_done) = (Arc::clone(&cancel), Arc::clone(&runs_done));
        // A worker per job, ended when its work is (or is cancelled).
        std::thread::spawn(move || {
            let progress = |done: u64| {
                worker_done.store(done, Ordering::Relaxed);
                wake();
            };
            let outcome = work(&worker_cancel, &progress);
            // The receiver is gone only when the app dropped the job: nobody waits.
            let _ = sender.send(outcome);
            wake();
        });
        Self {
            cancel,
            runs_done,
            runs_total,
            started: Instant::now(),
            revision,
            receiver,
        }
    }

    pub fn runs_done(&self) -> u64 {
        self.runs_done.load(Ordering::Relaxed)
    }

    /// Asks the worker to stop; it answers `Cancelled` soon after.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelling(&self) -> bool {
        self.cancel.load(Ordering::Relaxed)
    }

    /// Seconds left at the pace so far (`None` before the first run is in).
    pub fn seconds_left(&self) -> Option<f64> {
        let done = self.runs_done();
        (done > 0).then(|| {
            let per_run = self.started.elapsed().as_secs_f64() / done as f64;
            per_run * self.runs_total.saturating_sub(done) as f64
        })
    }

    pub fn poll(&self) -> JobPoll<T> {
        match self.receiver.try_recv() {
            Err(mpsc::TryRecvError::Empty) => JobPoll::Running,
            Err(mpsc::TryRecvError::Disconnected) => {
                JobPoll::Failed("the worker stopped without an answer".to_owned())
            }
            Ok(Ok(value)) => JobPoll::Finished(value),
            Ok(Err(SweepError::Cancelled)) => JobPoll::Cancelled,
            Ok(Err(error)) => JobPoll::Failed(error.to_string()),
        }
    }
}

/// Starts a sweep of `runs` runs seeded `seed` over a copy of `scenario`.
pub fn start_sweep(
    scenario: Scenario,
    revision: u64,
    runs: u64,
    seed: u64,
    wake: impl Fn() + Send + Sync + 'static,
) -> Job<SweepResult> {
    let work = move |cancel: &AtomicBool, progress: &dyn Fn(u64)| {
        let started = Instant::now();
        let settings = SolverSettings::default();
        let calibration = calibrate(&scenario, &settings).map_err(SweepError::Unperturbed)?;
        let summary = run_sweep(
            &scenario,
            &calibration,
            &settings,
            0..runs,
            seed,
            &|done, _total| progress(done),
            cancel,
        )?;
        Ok(SweepResult {
            summary,
            revision,
            elapsed: started.elapsed(),
        })
    };
    Job::spawn(revision, runs, work, wake)
}

/// Starts a tornado of `output` over a copy of `scenario` (two solves per input).
pub fn start_tornado(
    scenario: Scenario,
    revision: u64,
    output: OutputKey,
    wake: impl Fn() + Send + Sync + 'static,
) -> Job<TornadoResult> {
    let runs_total = 2 * scenario.uncertainty.len() as u64 + 1;
    let work = move |cancel: &AtomicBool, _progress: &dyn Fn(u64)| {
        let settings = SolverSettings::default();
        let calibration = calibrate(&scenario, &settings).map_err(SweepError::Unperturbed)?;
        let tornado = tornado(&scenario, &calibration, &settings, &output, cancel)?;
        Ok(TornadoResult { tornado, revision })
    };
    Job::spawn(revision, runs_total, work, wake)
}
