//! The solve worker: a named thread that solves the newest scenario, so that no frame
//! ever waits for the solver.
//!
//! Every edit sends the document's scenario with its revision. The worker drops any
//! request that a newer one has overtaken (latest wins), answers the year on screen first
//! (from the state the last solve left, in one solve), then solves the horizon in order and
//! sends each year as it comes, then the whole. Each year's interior point starts from the
//! warm start the last solve left for that year ([`crate::solver::solve_each_year_near`]).
//! A newer request cancels the horizon solve between years. Calibration is kept until the base-year data changes (policies do not
//! affect it).
//!
//! The worker knows no GUI: it calls a wake callback after every event, where a GUI asks
//! for a repaint.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use crate::backtest::Backtest;
use crate::model::Scenario;
use crate::solver::{
    Calibration, Solution, SolveError, SolverSettings, WarmStarts, YearSolution, YearState,
    calibrate, solve_each_year_near, solve_recording, solve_year_near,
};

/// What the app asks the worker to solve.
pub struct SolveRequest {
    pub revision: u64,
    pub scenario: Arc<Scenario>,
    /// Solved and reported first.
    pub year_on_screen: i32,
}

/// What the worker reports back.
#[derive(Debug)]
pub enum SolveEvent {
    /// The solution of the reference scenario asked for as `generation` (0: the one the
    /// worker started with).
    Reference {
        generation: u64,
        solution: Solution,
    },
    /// The reference scenario of `generation` does not solve (or the worker could not
    /// start).
    ReferenceFailed {
        generation: u64,
        message: String,
    },
    /// The year on screen of a revision.
    Year {
        revision: u64,
        year: YearSolution,
    },
    /// Every year of a revision.
    Horizon {
        revision: u64,
        solution: Solution,
    },
    Failed {
        revision: u64,
        message: String,
    },
    /// The backtest of the shipped episodes (or why it failed).
    Backtest(Result<Arc<Backtest>, String>),
}

/// What the worker is asked to do.
enum Job {
    Solve(SolveRequest),
    /// Solve this as the new reference (price pressure and comparisons are against it).
    Reference {
        generation: u64,
        scenario: Arc<Scenario>,
    },
    /// Solve the backtest's episodes and compare them with the observations.
    Backtest,
}

/// The app's handle on the worker thread.
pub struct SolveWorker {
    requests: Sender<Job>,
    events: Receiver<SolveEvent>,
    cancel: Arc<AtomicBool>,
}

/// Calibration depends on everything but the policies: the key is the scenario without them.
fn calibration_key(scenario: &Scenario) -> Scenario {
    let mut key = scenario.clone();
    key.policies.clear();
    key
}

impl SolveWorker {
    /// Starts the worker; `wake` is called after every event (to request a repaint).
    pub fn start(reference: Arc<Scenario>, wake: impl Fn() + Send + Sync + 'static) -> Self {
        let (request_sender, request_receiver) = mpsc::channel::<Job>();
        let (event_sender, event_receiver) = mpsc::channel();
        let cancel = Arc::new(AtomicBool::new(false));
        let worker_cancel = Arc::clone(&cancel);
        let spawned = std::thread::Builder::new()
            .name("rareflow-solve-worker".to_owned())
            .spawn(move || {
                run(
                    &reference,
                    &request_receiver,
                    &event_sender,
                    &worker_cancel,
                    &wake,
                )
            });
        if let Err(error) = spawned {
            // Without a worker nothing solves; say so instead of failing silently.
            let (sender, receiver) = mpsc::channel();
            let _ = sender.send(SolveEvent::ReferenceFailed {
                generation: 0,
                message: format!("the solver thread could not start: {error}"),
            });
            return Self {
                requests: request_sender,
                events: receiver,
                cancel,
            };
        }
        Self {
            requests: request_sender,
            events: event_receiver,
            cancel,
        }
    }

    /// Asks for a solve of a new revision; any solve in progress is abandoned.
    pub fn request(&self, request: SolveRequest) {
        self.cancel.store(true, Ordering::Relaxed);
        let _ = self.requests.send(Job::Solve(request));
    }

    /// Makes `reference` the scenario others are compared with; its solution follows as a
    /// [`SolveEvent::Reference`] carrying `generation`.
    pub fn set_reference(&self, generation: u64, reference: Arc<Scenario>) {
        let _ = self.requests.send(Job::Reference {
            generation,
            scenario: reference,
        });
    }

    /// Asks for the backtest; its result follows as a [`SolveEvent::Backtest`], after any
    /// solve of the document that is waiting (the document on screen comes first).
    pub fn request_backtest(&self) {
        let _ = self.requests.send(Job::Backtest);
    }

    /// Events that have arrived, without waiting.
    pub fn poll(&self) -> Vec<SolveEvent> {
        self.events.try_iter().collect()
    }

    /// Waits up to `timeout` for the next event (tests and benchmarks).
    pub fn wait(&self, timeout: Duration) -> Option<SolveEvent> {
        self.events.recv_timeout(timeout).ok()
    }
}

fn run(
    reference: &Scenario,
    requests: &Receiver<Job>,
    events: &Sender<SolveEvent>,
    cancel: &AtomicBool,
    wake: &(dyn Fn() + Sync),
) {
    let mut worker = WorkerLoop {
        settings: SolverSettings::default(),
        events,
        wake,
        cancel,
        cached: None,
        states: BTreeMap::new(),
        starts: WarmStarts::default(),
    };
    if !worker.solve_reference(0, reference) {
        return;
    }
    while let Ok(first) = requests.recv() {
        // Latest wins: of everything waiting, keep the newest reference and newest solve.
        let mut newest_reference = None;
        let mut newest_solve = None;
        let mut backtest = false;
        for job in std::iter::once(first).chain(requests.try_iter()) {
            match job {
                Job::Reference {
                    generation,
                    scenario,
                } => newest_reference = Some((generation, scenario)),
                Job::Solve(request) => newest_solve = Some(request),
                Job::Backtest => backtest = true,
            }
        }
        if let Some((generation, reference)) = newest_reference
            && !worker.solve_reference(generation, &reference)
        {
            return;
        }
        if let Some(request) = newest_solve
            && !worker.solve_request(&request)
        {
            return;
        }
        if backtest && !worker.solve_backtest() {
            return;
        }
    }
}

/// The worker thread's state. Its methods return false once the app has gone (nobody
/// receives events any more): the thread then ends.
struct WorkerLoop<'a> {
    settings: SolverSettings,
    events: &'a Sender<SolveEvent>,
    wake: &'a (dyn Fn() + Sync),
    cancel: &'a AtomicBool,
    /// The calibration of the last scenario solved, keyed by [`calibration_key`].
    cached: Option<(Scenario, Arc<Calibration>)>,
    /// The state each year started from in the last horizon solved: the first answer to the
    /// next request starts its year on screen from it.
    states: BTreeMap<i32, YearState>,
    /// The warm starts the last solve left: each year of the next request's starts from
    /// them (an edit changes a year's problem a little).
    starts: WarmStarts,
}

impl WorkerLoop<'_> {
    fn send(&self, event: SolveEvent) -> bool {
        let sent = self.events.send(event).is_ok();
        (self.wake)();
        sent
    }

    fn calibration_for(&mut self, scenario: &Scenario) -> Result<Arc<Calibration>, SolveError> {
        let key = calibration_key(scenario);
        if let Some((cached_key, calibration)) = &self.cached
            && *cached_key == key
        {
            return Ok(Arc::clone(calibration));
        }
        let calibration = Arc::new(calibrate(scenario, &self.settings)?);
        self.cached = Some((key, Arc::clone(&calibration)));
        Ok(calibration)
    }

    fn solve_reference(&mut self, generation: u64, reference: &Scenario) -> bool {
        let solved = self
            .calibration_for(reference)
            .and_then(|c| solve_recording(reference, &c, &self.settings, None));
        match solved {
            Ok((solution, starts)) => {
                self.starts = starts;
                self.send(SolveEvent::Reference {
                    generation,
                    solution,
                })
            }
            Err(error) => self.send(SolveEvent::ReferenceFailed {
                generation,
                message: format!("the reference scenario does not solve: {error}"),
            }),
        }
    }

    /// Solves the backtest's two episodes and sends the table.
    fn solve_backtest(&mut self) -> bool {
        let result = crate::backtest::run(&self.settings)
            .map(Arc::new)
            .map_err(|error| error.to_string());
        self.send(SolveEvent::Backtest(result))
    }

    /// Answers the year on screen at once, then solves the horizon year by year and sends
    /// every year as it comes, then the whole. A newer request cancels the solve between
    /// years; nothing more is sent for a cancelled solve.
    ///
    /// Years depend on the years before them (capacity built, demand adapted, stock left),
    /// so the exact year on screen needs every year before it. The first answer is that
    /// year solved from the state the last solve left there (one solve, a few ms): after a
    /// slider move the earlier years barely change, and the exact answer replaces it as the
    /// chain reaches it. It is solved on a second thread while the chain starts on this one,
    /// so the two cores share the work.
    fn solve_request(&mut self, request: &SolveRequest) -> bool {
        self.cancel.store(false, Ordering::Relaxed);
        let revision = request.revision;
        let scenario = &request.scenario;
        let failed = |error: SolveError| SolveEvent::Failed {
            revision,
            message: error.to_string(),
        };
        let calibration = match self.calibration_for(scenario) {
            Ok(calibration) => calibration,
            Err(error) => return self.send(failed(error)),
        };
        let year = request
            .year_on_screen
            .clamp(scenario.meta.first_year, scenario.meta.last_year);
        let start = self
            .states
            .get(&year)
            .cloned()
            .filter(|_| year > scenario.meta.first_year)
            .unwrap_or_else(|| YearState::new(scenario));
        // The first answer runs on a thread of its own, so the horizon starts at once; it
        // is sent only while the exact year on screen has not been (the lock orders the two).
        let exact_on_screen_sent = Mutex::new(false);
        let mut states = BTreeMap::new();
        let mut gone = false;
        let (events, wake, settings, cancel, starts) = (
            self.events,
            self.wake,
            &self.settings,
            self.cancel,
            &self.starts,
        );
        let send_year = |solution: YearSolution| {
            let sent = events
                .send(SolveEvent::Year {
                    revision,
                    year: solution,
                })
                .is_ok();
            wake();
            sent
        };
        let solved = std::thread::scope(|scope| {
            let first_answer = std::thread::Builder::new()
                .name("rareflow-first-answer".to_owned())
                .spawn_scoped(scope, || {
                    // An invalid scenario fails the horizon below too, which reports it.
                    if let Ok(first) =
                        solve_year_near(scenario, &calibration, year, &start, settings, starts)
                    {
                        let exact_sent = exact_on_screen_sent
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner);
                        if !*exact_sent {
                            send_year(first);
                        }
                    }
                });
            let solved = solve_each_year_near(
                scenario,
                &calibration,
                settings,
                Some(cancel),
                &mut |state, solution| {
                    states.insert(solution.year, state.clone());
                    if solution.year == year {
                        let mut exact_sent = exact_on_screen_sent
                            .lock()
                            .unwrap_or_else(PoisonError::into_inner);
                        gone |= !send_year(solution.clone());
                        *exact_sent = true;
                    } else {
                        gone |= !send_year(solution.clone());
                    }
                },
                starts,
            );
            if let Ok(handle) = first_answer {
                let _ = handle.join();
            }
            solved
        });
        if gone {
            return false;
        }
        match solved {
            Ok((solution, starts)) => {
                self.states = states;
                self.starts = starts;
                self.send(SolveEvent::Horizon { revision, solution })
            }
            Err(SolveError::Cancelled) => true,
            Err(error) => self.send(failed(error)),
        }
    }
}
