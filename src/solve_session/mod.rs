//! Solving the open scenario in the background and keeping the answers that belong to it.
//!
//! [`SolveSession`] pairs the solve worker (`worker.rs`: a named thread that solves the
//! newest request, so no frame waits for the solver) with the [`SolveLedger`] (which
//! revision was requested, which answers count, when a horizon is complete, the reference
//! solution).
//! Neither knows a GUI: the worker wakes its owner through a callback, and the ledger is
//! plain data with unit tests.

mod ledger;
mod worker;

use std::sync::Arc;
use std::time::{Duration, Instant};

pub use ledger::{BacktestState, Results, SolveLedger};
pub use worker::SolveEvent;
use worker::{SolveRequest, SolveWorker};

use crate::model::Scenario;

/// A solve worker and the bookkeeping of its answers.
pub struct SolveSession {
    worker: SolveWorker,
    ledger: SolveLedger,
}

impl SolveSession {
    /// Starts the worker on `reference`; `wake` is called after every answer (a GUI
    /// requests a repaint there).
    pub fn start(reference: Arc<Scenario>, wake: impl Fn() + Send + Sync + 'static) -> Self {
        Self {
            worker: SolveWorker::start(reference, wake),
            ledger: SolveLedger::default(),
        }
    }

    /// Sends `scenario` (the document at `revision`) to be solved, the year on screen
    /// first, unless this revision is the one sent last.
    pub fn request(&mut self, revision: u64, scenario: &Scenario, year_on_screen: i32) {
        if self.ledger.request(revision) {
            self.worker.request(SolveRequest {
                revision,
                scenario: Arc::new(scenario.clone()),
                year_on_screen,
            });
        }
    }

    /// Makes `reference` the scenario others are compared with; its solution replaces the
    /// current reference when it arrives.
    pub fn set_reference(&mut self, reference: Arc<Scenario>) {
        let generation = self.ledger.request_reference();
        self.worker.set_reference(generation, reference);
    }

    /// Asks for the backtest unless it is solving or solved already.
    pub fn request_backtest(&mut self) {
        if self.ledger.request_backtest() {
            self.worker.request_backtest();
        }
    }

    /// Waits until the backtest asked for is in (tests). False on timeout or if it was
    /// never asked for.
    pub fn wait_until_backtest(&mut self, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        self.poll();
        while matches!(self.ledger.backtest(), BacktestState::Solving) {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                return false;
            };
            if let Some(event) = self.worker.wait(left) {
                self.ledger.accept(event);
            }
        }
        !matches!(self.ledger.backtest(), BacktestState::NotAsked)
    }

    /// Takes every answer that has arrived, without waiting.
    pub fn poll(&mut self) {
        for event in self.worker.poll() {
            self.ledger.accept(event);
        }
    }

    /// Waits until every answer asked for is in (tests, benchmarks). False on timeout.
    pub fn wait_until_solved(&mut self, timeout: Duration) -> bool {
        self.wait_for(timeout, SolveLedger::is_solved)
    }

    /// Waits until the answers that have arrived satisfy `done` (tests, benchmarks). False
    /// on timeout.
    pub fn wait_for(&mut self, timeout: Duration, done: impl Fn(&SolveLedger) -> bool) -> bool {
        let deadline = Instant::now() + timeout;
        self.poll();
        while !done(&self.ledger) {
            let Some(left) = deadline.checked_duration_since(Instant::now()) else {
                return false;
            };
            if let Some(event) = self.worker.wait(left) {
                self.ledger.accept(event);
            }
        }
        true
    }

    /// Forgets the results (another document was opened); the reference stays.
    pub fn forget_results(&mut self) {
        self.ledger.forget_results();
    }

    pub fn ledger(&self) -> &SolveLedger {
        &self.ledger
    }
}
