//! Solving independent years on a few threads, and turning a thread's failure into an
//! error that names the years it cost.
//!
//! A year whose solve panics must not vanish from an `Ok(Solution)`: the app would draw the
//! horizon with a gap and the CLI would print a report missing a year, both without a word.
//! Each year's solve is caught on its own, so one failing year names itself and the other
//! years still run; a thread that fails outside a year's solve costs the years it had
//! taken, and those are named too.

use std::any::Any;
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};

use super::{SolveError, YearSolution};

/// What one thread brings back: the years it solved, and the years whose solve panicked
/// with the panic's message.
type ThreadOutcome = (Vec<YearSolution>, Vec<(i32, String)>);

/// Solves `wanted` on up to `threads` threads from a shared queue, latest year first (later
/// years have more capacity and take longer, so handing them out first keeps every core
/// busy to the end). Returns the years sorted, or [`SolveError::YearFailed`] naming every
/// year that did not come back. `cancelled` is checked before each year; on cancellation
/// the years solved so far are returned and the caller reports the cancellation.
pub(super) fn solve_years_in_parallel(
    wanted: &[i32],
    threads: usize,
    cancelled: &(dyn Fn() -> bool + Sync),
    solve_one: &(dyn Fn(i32) -> YearSolution + Sync),
) -> Result<Vec<YearSolution>, SolveError> {
    let queue: Vec<i32> = wanted.iter().rev().copied().collect();
    let next = AtomicUsize::new(0);
    let threads = threads.clamp(1, wanted.len().max(1));
    let outcomes: Vec<Result<ThreadOutcome, String>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|index| {
                let (queue, next) = (&queue, &next);
                std::thread::Builder::new()
                    .name(format!("rareflow-solve-{index}"))
                    .spawn_scoped(scope, move || {
                        let mut solved = Vec::new();
                        let mut failed = Vec::new();
                        while let Some(&year) = queue.get(next.fetch_add(1, Ordering::Relaxed)) {
                            if cancelled() {
                                break;
                            }
                            match catch_unwind(AssertUnwindSafe(|| solve_one(year))) {
                                Ok(year_solution) => solved.push(year_solution),
                                Err(payload) => failed.push((year, panic_message(&*payload))),
                            }
                        }
                        (solved, failed)
                    })
                    .expect("a solver thread starts")
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().map_err(|payload| panic_message(&*payload)))
            .collect()
    });
    let mut solved = Vec::with_capacity(wanted.len());
    let mut failures: BTreeMap<i32, String> = BTreeMap::new();
    let mut thread_failure = None;
    for outcome in outcomes {
        match outcome {
            Ok((years, failed)) => {
                solved.extend(years);
                failures.extend(failed);
            }
            Err(message) => thread_failure = Some(message),
        }
    }
    if let Some(message) = thread_failure {
        // The thread's own list is lost: every wanted year that did not come back is named.
        for &year in wanted {
            if !solved.iter().any(|y| y.year == year) {
                failures.entry(year).or_insert_with(|| message.clone());
            }
        }
    }
    if !failures.is_empty() && !cancelled() {
        return Err(SolveError::YearFailed {
            years: failures.keys().copied().collect(),
            message: failures.into_values().next().unwrap_or_default(),
        });
    }
    solved.sort_by_key(|y| y.year);
    Ok(solved)
}

/// The text a panic carried (`panic!("...")` gives a `&str` or a `String`).
pub(super) fn panic_message(payload: &(dyn Any + Send)) -> String {
    if let Some(text) = payload.downcast_ref::<&str>() {
        (*text).to_owned()
    } else if let Some(text) = payload.downcast_ref::<String>() {
        text.clone()
    } else {
        "the solver stopped unexpectedly".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::solver::SolveStatus;

    fn solved(year: i32) -> YearSolution {
        YearSolution {
            welfare_musd: f64::from(year),
            ..YearSolution::empty(year, SolveStatus::Optimal)
        }
    }

    const YEARS: [i32; 6] = [2024, 2025, 2026, 2027, 2028, 2029];

    #[test]
    fn every_year_comes_back_in_order() {
        let years = solve_years_in_parallel(&YEARS, 2, &|| false, &solved).expect("solves");
        let got: Vec<i32> = years.iter().map(|y| y.year).collect();
        assert_eq!(got, YEARS);
        assert_eq!(years[3].welfare_musd, 2027.0);
    }

    #[test]
    fn a_year_whose_solve_panics_is_an_error_naming_it() {
        let failing = |year: i32| {
            if year == 2027 {
                panic!("the QP of {year} blew up");
            }
            solved(year)
        };
        for threads in [1, 2, 4] {
            let error = solve_years_in_parallel(&YEARS, threads, &|| false, &failing)
                .expect_err("a year failed");
            let SolveError::YearFailed { years, message } = &error else {
                panic!("expected YearFailed, got {error}");
            };
            assert_eq!(years, &[2027]);
            assert_eq!(message, "the QP of 2027 blew up");
            assert_eq!(
                error.to_string(),
                "the solver failed in 2027: the QP of 2027 blew up"
            );
        }
    }

    #[test]
    fn several_failed_years_are_all_named() {
        let failing = |year: i32| {
            if year % 2 == 0 {
                panic!("even year {year}");
            }
            solved(year)
        };
        let error =
            solve_years_in_parallel(&YEARS, 2, &|| false, &failing).expect_err("years failed");
        assert!(
            matches!(&error, SolveError::YearFailed { years, .. } if years == &[2024, 2026, 2028]),
            "{error}"
        );
        assert!(
            error
                .to_string()
                .starts_with("the solver failed in 2024, 2026, 2028: even year 20"),
            "{error}"
        );
    }

    #[test]
    fn a_thread_that_fails_between_years_names_the_years_it_took() {
        // The only thread solves 2029, then fails taking 2028: its list is lost with it.
        let checks = AtomicUsize::new(0);
        let failing_check = || {
            let on_solver_thread = std::thread::current()
                .name()
                .is_some_and(|name| name.starts_with("rareflow-solve-"));
            if on_solver_thread && checks.fetch_add(1, Ordering::Relaxed) == 1 {
                panic!("stopped between years");
            }
            false
        };
        let error = solve_years_in_parallel(&YEARS, 1, &failing_check, &solved)
            .expect_err("the thread failed");
        let SolveError::YearFailed { years, message } = &error else {
            panic!("expected YearFailed, got {error}");
        };
        assert_eq!(years, &YEARS, "every year the thread had is named");
        assert_eq!(message, "stopped between years");
    }
}
