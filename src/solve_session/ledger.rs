//! Which solve answers belong on screen: the bookkeeping between the app and the worker,
//! with no thread and no GUI in it, so plain unit tests cover it.
//!
//! Rules:
//! - Only answers for the revision requested last are taken; anything older is stale (the
//!   worker may finish an older solve before it sees a newer request). Revisions never
//!   repeat across documents (see [`crate::document::Document::revision`]), so answers
//!   about a closed document are stale too.
//! - A first year of a new revision keeps the older years on screen until its horizon
//!   arrives, so charts do not flicker while the rest is solved.
//! - A reference solution is taken only if it answers the reference asked for last.

use std::collections::BTreeMap;
use std::sync::Arc;

use super::worker::SolveEvent;
use crate::backtest::Backtest;
use crate::solver::{Solution, YearSolution};

/// The backtest (the model against observed outcomes): solved once, on request, because it
/// depends on the shipped episodes, not on the open document.
#[derive(Clone, Debug, Default)]
pub enum BacktestState {
    /// Nobody has looked at it yet.
    #[default]
    NotAsked,
    Solving,
    Done(Arc<Backtest>),
    Failed(String),
}

/// The newest results taken for the requested revision, by year.
#[derive(Clone, Debug, Default)]
pub struct Results {
    /// The document revision these results belong to.
    pub revision: u64,
    pub years: BTreeMap<i32, YearSolution>,
    /// Every year of `revision` is in (or its solve failed).
    pub complete: bool,
    pub error: Option<String>,
}

/// What was asked of the worker and which of its answers count.
#[derive(Debug, Default)]
pub struct SolveLedger {
    requested_revision: Option<u64>,
    results: Results,
    /// The reference asked for last (0: the one the worker started with).
    reference_generation: u64,
    reference: Option<Solution>,
    reference_error: Option<String>,
    backtest: BacktestState,
}

impl SolveLedger {
    /// Records that `revision` is to be solved. False when it is the revision requested
    /// last: nothing needs sending.
    pub fn request(&mut self, revision: u64) -> bool {
        if self.requested_revision == Some(revision) {
            return false;
        }
        self.requested_revision = Some(revision);
        true
    }

    /// Records that a new reference is to be solved; its solution replaces the current one
    /// when it arrives. Returns the generation that answer must carry.
    pub fn request_reference(&mut self) -> u64 {
        self.reference_generation += 1;
        self.reference = None;
        self.reference_error = None;
        self.reference_generation
    }

    /// Takes one answer of the worker. False when it was dropped as stale.
    pub fn accept(&mut self, event: SolveEvent) -> bool {
        match event {
            SolveEvent::Reference {
                generation,
                solution,
            } => {
                if generation != self.reference_generation {
                    return false;
                }
                self.reference = Some(solution);
                self.reference_error = None;
            }
            SolveEvent::ReferenceFailed {
                generation,
                message,
            } => {
                if generation != self.reference_generation {
                    return false;
                }
                self.reference = None;
                self.reference_error = Some(message);
            }
            SolveEvent::Year { revision, year } => {
                if !self.is_requested(revision) {
                    return false;
                }
                if revision != self.results.revision {
                    // A new revision's first year: the older years stay until the horizon.
                    self.results.revision = revision;
                    self.results.complete = false;
                }
                self.results.error = None;
                self.results.years.insert(year.year, year);
            }
            SolveEvent::Horizon { revision, solution } => {
                if !self.is_requested(revision) {
                    return false;
                }
                self.results.revision = revision;
                self.results.years = solution.years.into_iter().map(|y| (y.year, y)).collect();
                self.results.complete = true;
                self.results.error = None;
            }
            SolveEvent::Backtest(result) => {
                self.backtest = match result {
                    Ok(backtest) => BacktestState::Done(backtest),
                    Err(message) => BacktestState::Failed(message),
                };
            }
            SolveEvent::Failed { revision, message } => {
                if !self.is_requested(revision) {
                    return false;
                }
                self.results.revision = revision;
                self.results.complete = true;
                self.results.error = Some(message);
            }
        }
        true
    }

    fn is_requested(&self, revision: u64) -> bool {
        self.requested_revision == Some(revision)
    }

    /// Every answer asked for is in: the reference (or why it failed) and every year of the
    /// requested revision (or why it failed).
    pub fn is_solved(&self) -> bool {
        (self.reference.is_some() || self.reference_error.is_some())
            && self.results.complete
            && self.is_requested(self.results.revision)
    }

    /// Forgets the results (another document was opened); the reference stays.
    pub fn forget_results(&mut self) {
        self.results = Results::default();
        self.requested_revision = None;
    }

    pub fn results(&self) -> &Results {
        &self.results
    }

    pub fn reference(&self) -> Option<&Solution> {
        self.reference.as_ref()
    }

    /// Why the reference scenario did not solve, if it did not.
    pub fn reference_error(&self) -> Option<&str> {
        self.reference_error.as_deref()
    }

    /// Records that the backtest is to be solved. False when it is solving or solved
    /// already: nothing needs sending (it does not change with the document).
    pub fn request_backtest(&mut self) -> bool {
        if matches!(self.backtest, BacktestState::NotAsked) {
            self.backtest = BacktestState::Solving;
            true
        } else {
            false
        }
    }

    pub fn backtest(&self) -> &BacktestState {
        &self.backtest
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solver::SolveStatus;

    fn year(year: i32, solve_ms: f64) -> YearSolution {
        YearSolution {
            solve_ms,
            ..YearSolution::empty(year, SolveStatus::Optimal)
        }
    }

    fn horizon(years: &[i32], solve_ms: f64) -> Solution {
        Solution {
            scenario: "test".to_owned(),
            years: years.iter().map(|&y| year(y, solve_ms)).collect(),
            total_solve_ms: 0.0,
        }
    }

    #[test]
    fn a_year_of_an_older_revision_after_a_newer_request_is_dropped() {
        let mut ledger = SolveLedger::default();
        assert!(ledger.request(7));
        assert!(!ledger.request(7), "asked already: nothing to send");
        assert!(ledger.accept(SolveEvent::Year {
            revision: 7,
            year: year(2026, 1.0),
        }));
        assert!(ledger.request(9));
        let stale = SolveEvent::Year {
            revision: 7,
            year: year(2027, 2.0),
        };
        assert!(!ledger.accept(stale), "revision 7 was overtaken by 9");
        let stale_horizon = SolveEvent::Horizon {
            revision: 7,
            solution: horizon(&[2026, 2027, 2028], 3.0),
        };
        assert!(!ledger.accept(stale_horizon));
        let results = ledger.results();
        assert_eq!(results.revision, 7);
        assert_eq!(results.years.keys().copied().collect::<Vec<_>>(), [2026]);
        assert!(!results.complete);
        assert!(!ledger.is_solved());
    }

    #[test]
    fn a_horizon_completes_the_requested_revision() {
        let mut ledger = SolveLedger::default();
        assert!(ledger.accept(SolveEvent::Reference {
            generation: 0,
            solution: horizon(&[2026, 2027], 1.0),
        }));
        ledger.request(3);
        ledger.accept(SolveEvent::Horizon {
            revision: 3,
            solution: horizon(&[2026, 2027], 1.0),
        });
        assert!(ledger.is_solved());
        ledger.request(4);
        assert!(!ledger.is_solved(), "a new revision is asked for");
        ledger.accept(SolveEvent::Year {
            revision: 4,
            year: year(2027, 5.0),
        });
        let results = ledger.results();
        assert_eq!(results.revision, 4);
        assert!(!results.complete);
        assert_eq!(results.years.len(), 2, "the older year stays on screen");
        assert_eq!(results.years[&2027].solve_ms, 5.0);
        assert_eq!(results.years[&2026].solve_ms, 1.0);
        ledger.accept(SolveEvent::Horizon {
            revision: 4,
            solution: horizon(&[2026, 2027, 2028], 6.0),
        });
        assert!(ledger.is_solved());
        let results = ledger.results();
        assert_eq!(results.years.len(), 3);
        assert!(results.years.values().all(|y| y.solve_ms == 6.0));
    }

    #[test]
    fn a_failure_is_recorded_and_the_next_answer_clears_it() {
        let mut ledger = SolveLedger::default();
        ledger.accept(SolveEvent::Reference {
            generation: 0,
            solution: horizon(&[2026], 1.0),
        });
        ledger.request(5);
        assert!(ledger.accept(SolveEvent::Failed {
            revision: 5,
            message: "capacity must be a finite number".to_owned(),
        }));
        assert!(ledger.is_solved(), "a failure is an answer");
        assert_eq!(
            ledger.results().error.as_deref(),
            Some("capacity must be a finite number")
        );
        ledger.request(6);
        ledger.accept(SolveEvent::Year {
            revision: 6,
            year: year(2026, 1.0),
        });
        assert_eq!(ledger.results().error, None);
        assert!(!ledger.is_solved());
    }

    #[test]
    fn a_new_reference_replaces_the_old_and_a_stale_one_is_dropped() {
        let mut ledger = SolveLedger::default();
        ledger.accept(SolveEvent::Reference {
            generation: 0,
            solution: horizon(&[2026], 1.0),
        });
        assert_eq!(ledger.reference().expect("in").years[0].solve_ms, 1.0);
        let generation = ledger.request_reference();
        assert_eq!(generation, 1);
        assert!(
            ledger.reference().is_none(),
            "the old one no longer applies"
        );
        let late = SolveEvent::Reference {
            generation: 0,
            solution: horizon(&[2026], 2.0),
        };
        assert!(!ledger.accept(late), "an answer about the old reference");
        assert!(ledger.reference().is_none());
        assert!(ledger.accept(SolveEvent::Reference {
            generation,
            solution: horizon(&[2026], 3.0),
        }));
        assert_eq!(ledger.reference().expect("in").years[0].solve_ms, 3.0);

        let failing = ledger.request_reference();
        ledger.accept(SolveEvent::ReferenceFailed {
            generation: failing,
            message: "infeasible".to_owned(),
        });
        assert!(ledger.reference().is_none());
        assert_eq!(ledger.reference_error(), Some("infeasible"));
    }

    #[test]
    fn the_backtest_is_asked_for_once_and_kept() {
        let mut ledger = SolveLedger::default();
        assert!(matches!(ledger.backtest(), BacktestState::NotAsked));
        assert!(ledger.request_backtest());
        assert!(!ledger.request_backtest(), "solving already");
        let done = Backtest {
            episodes: Vec::new(),
            rows: Vec::new(),
        };
        assert!(ledger.accept(SolveEvent::Backtest(Ok(Arc::new(done)))));
        assert!(matches!(ledger.backtest(), BacktestState::Done(_)));
        assert!(
            !ledger.request_backtest(),
            "it does not change with the document"
        );
        ledger.forget_results();
        assert!(matches!(ledger.backtest(), BacktestState::Done(_)));
    }

    #[test]
    fn forgetting_results_keeps_the_reference_and_asks_again() {
        let mut ledger = SolveLedger::default();
        ledger.accept(SolveEvent::Reference {
            generation: 0,
            solution: horizon(&[2026], 1.0),
        });
        ledger.request(2);
        ledger.accept(SolveEvent::Horizon {
            revision: 2,
            solution: horizon(&[2026], 1.0),
        });
        ledger.forget_results();
        assert!(ledger.results().years.is_empty());
        assert!(ledger.reference().is_some());
        assert!(ledger.request(2), "the same revision is sent again");
    }
}
