//! The equilibrium solver: shortfalls, prices, flows and origins, year by year.
//!
//! [`solve`] is a pure function of a [`Scenario`] and a [`Calibration`]: no GUI, no I/O,
//! deterministic, and it never panics on a valid scenario. An infeasible or numerically
//! troubled year is reported in its [`YearSolution::status`], not hidden.
//!
//! # The model: a spatial price equilibrium per year
//!
//! Each year is a market equilibrium over the network (Samuelson 1952; Takayama & Judge
//! 1971): the solver maximises consumers' gross surplus minus production, capital and
//! transport costs, a concave quadratic program. Units inside the solver: quantities in
//! kt, prices in US$/kg, the objective in US$ million. The code is in rooms: `network/`
//! builds the problem (nodes, markets, trade, policies, expansion, contracts), `demand.rs`
//! and `curves.rs` hold the demand and cost curves, `calibrate.rs` the base-year
//! calibration, `read.rs` and [`origin`] read a solved year back, `state.rs` carries what
//! one year hands the next. [`qp`] holds the quadratic program and solves it: first with
//! rareflow's own interior-point method for bounded QPs (`interior_point/`; in the
//! solver itself about 2.5× faster than Clarabel, a general conic solver, on these
//! problems), with Clarabel where that does not converge; HiGHS re-solves exported years in the tests.
//! `near.rs` solves a scenario near another: each year's interior point starts from the
//! other's warm start for that year (sweeps' runs, the app's edits).
//!
//! Variables, all ≥ 0:
//!
//! | variable | meaning |
//! |---|---|
//! | `X[m]` | output of mine m (kt REO), ≤ its capacity |
//! | `x[m,r]` | concentrate from mine m to refinery r |
//! | `o[r,c]` | separated oxide c at refinery r, ≤ its circuits for c |
//! | `y[i→k,c]` | oxide c from country i (all its refineries) into region k's market |
//! | `d[j,c]` | oxide c bought by country j's magnet plants in their region's market |
//! | `z[g]` | magnets made at plant g, ≤ its capacity |
//! | `w[j→k,p]` | product p from country j's plants to region k |
//! | `q[k,c]` | final buyers' consumption of c in region k (one variable per demand piece) |
//! | `b[o]`, `n[o]` | capacity an expansion option builds this year, and its output |
//! | `s[h]` | how far contract h falls short |
//! | `release` | stock released by a stockpile policy |
//!
//! Rows:
//!
//! * mine: `Σ_r x[m,r] = X[m]`;
//! * composition travels with the concentrate: `o[r,c] ≤ recovery_r · Σ_m a[m,c] · x[m,r]`
//!   (what a refinery cannot or does not separate is set aside; secondary supply has no
//!   feed row, only its circuits);
//! * country oxide hub: `Σ_{r in i} o[r,c] = Σ_k y[i→k,c]`;
//! * regional market: `q[k,c] + Σ_{j in k} d[j,c] = Σ_i y[i→k,c] + releases`, whose dual is
//!   the price of c in k: magnet makers buy in the same market as every other user, so a
//!   region's Dy/Tb price is what its magnet makers pay;
//! * recipe: `d[j,c] = Σ_{g in j} b[g,c] · z[g]`; product hub `Σ_{g in j} z[g] = Σ_k w[j→k,p]`;
//! * expansion: `n[o] ≤ built before + b[o]`, `b[o] ≤` the option's build rate, only from its
//!   first year; the host's output becomes its existing output plus `n[o]`;
//! * contracts: `flow on the route + s[h] ≥` the volume (tonnes, or a share of the seller's
//!   output);
//! * policies: a ban removes arcs; an export quota caps the sum of the arcs it covers
//!   (tonnes, or a share of the exporter's output); a production quota caps a country's
//!   output of a stage; a tariff adds to the cost of the arcs it covers; capacity changes
//!   and demand shocks change bounds and curves.
//!
//! Objective (maximised): `Σ S[k,c](q) − Σ cost_n(output_n) − Σ annuity·b − Σ breach·s
//! − Σ (transport + tariff)·flow − capital committed in earlier years`, with
//!
//! * demand curves through a calibrated anchor (`Q`, `P`) with short-run elasticity ε
//!   (`demand.rs`): linear `P(q) = P·(1 + (Q − q)/(ε·Q))` up to its choke
//!   `P·(1 + 1/ε)`, or constant elasticity `P(q) = P·(q/Q)^(−1/ε)` in straight pieces up to
//!   a price cap where buyers rather go without (a value of lost supply, rising by
//!   [`CAP_RISE`] over the last tonnes): the built-in scenarios use the latter, so a small
//!   elasticity lets the price of a tiny-cost-share input rise as far as scarcity pushes
//!   it, and no further than a tenth above its cap;
//! * rising marginal costs at every mine, circuit and magnet plant, `mc(x) = α + γ·x`,
//!   from the [`calibrate`](calibrate::calibrate) step; new capacity runs at its host's
//!   marginal cost at capacity and pays its annualised capital cost when built.
//!
//! The program is strictly concave in consumption (every piece of every curve slopes, the
//! cap's too), so consumption and prices are unique
//! and move continuously with every slider (no jump from 0 to a penalty). Where two routes
//! cost the same, the equilibrium alone does not say how flow splits between them; a tiny
//! quadratic cost on every route (1e-4 $/kg per kt carried) picks the most even split, so
//! flows and origins are unique and steady from year to year, at a price effect well
//! under 0.01 $/kg.
//!
//! Reported per region and commodity: consumption, **shortfall** = `max(0, Q − q)` (demand
//! at the reference price left unmet: rationed by price, not a stock-out), and **price**,
//! the balance row's dual (on a linear curve, `P(q)`; with nothing arriving, the choke).
//! Price pressure is a price divided by the reference scenario's, minus 1.
//!
//! # Over the years: myopic, with foresight of the year capacity arrives
//!
//! Years are solved in order, each from the state the previous one left ([`YearState`]):
//! stock in stockpiles, capacity built by expansion options, and demand adapted to past
//! prices (each year demand closes a share of the gap to where its long-run elasticity
//! would take it at last year's price: a partial-adjustment, Koyck form, so a price spike
//! is met first by the short-run elasticity and then by substitution and thrifting).
//! Scenarios without any of these solve their years in parallel.
//!
//! Capacity that comes on stream in year t is chosen in year t's problem: it is built
//! where it pays its annualised capital cost at year t's prices, no earlier than its lead
//! time after the first decision year (the base year + 1) and at most at its build rate a
//! year. This is the myopic formulation of energy-system models run year by year (PyPSA's
//! myopic mode), read as investors who foresee the market of the year their plant comes on
//! stream. It was chosen over perfect foresight (all years one QP, as PyPSA's multi-period
//! expansion) because planners ask what happens *after* a shock: investors who see a 2025
//! export ban in 2024 would pre-empt it, and a perfect-foresight model lets them; the
//! myopic one makes the shock a surprise, and the lead times decide how long it bites. It
//! also keeps each year a QP of the size of the static model, so a slider move re-solves
//! in the time the app needs: the year on screen from the state the last solve left (one
//! year, a few ms), then the horizon in order. The foresight it keeps (of the arrival
//! year's demand and policies) is stated in the app and the README.
//!
//! Capacity policies on a node stop its expansion (the policy says what its capacity is).
//! A stockpile starts with its stock and releases up to its rate each year: a fixed-rate
//! stockpile releases whatever it may, a price-triggered one releases only when its
//! region's price exceeds the trigger (the release costs the trigger price in the
//! objective); what is released is gone for later years.
//!
//! # Origins
//!
//! After solving, [`origin`] follows the flows from mines through refineries and magnet
//! plants to regions, mixing proportionally at every node.

mod calibrate;
mod curves;
mod demand;
mod interior_point;
mod near;
mod network;
pub mod origin;
mod parallel;
pub mod qp;
mod read;
mod settings;
mod solution;
mod state;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

pub use calibrate::calibrate;
pub use curves::{Calibration, CostCurve, DemandAnchor};
pub use demand::CAP_RISE;
pub use near::{WarmStarts, solve_each_year_near, solve_near, solve_recording, solve_year_near};
pub use network::{ROUTE_SPREAD_USD_PER_KG_PER_KT, YearProblem};
pub use settings::{CalibrationError, Detail, SolveError, SolverSettings};
pub use solution::{
    ContractResult, ContractStatus, Endpoint, EndpointKind, ExpansionResult, Flow, FlowTarget,
    MarketResult, NodeResult, OriginKind, OriginShare, Solution, SolveStatus, StockRelease,
    YearSolution,
};
pub use state::YearState;

use crate::model::{Scenario, validate};

/// Which years to solve.
#[derive(Clone, Copy, Debug)]
pub enum Years {
    All,
    Only(i32),
}

/// Calibrates and solves: the convenience entry point.
pub fn solve_scenario(
    scenario: &Scenario,
    years: Years,
    settings: &SolverSettings,
) -> Result<Solution, SolveError> {
    let calibration = calibrate(scenario, settings)?;
    solve(scenario, &calibration, years, settings, None)
}

/// Solves the scenario's years with a calibration.
///
/// `cancel`, when set by another thread, stops the solve between years with
/// [`SolveError::Cancelled`].
pub fn solve(
    scenario: &Scenario,
    calibration: &Calibration,
    years: Years,
    settings: &SolverSettings,
    cancel: Option<&AtomicBool>,
) -> Result<Solution, SolveError> {
    let problems = validate(scenario);
    if !problems.is_empty() {
        return Err(SolveError::Invalid(problems));
    }
    let started = Instant::now();
    let wanted: Vec<i32> = match years {
        Years::All => scenario.years().collect(),
        Years::Only(year) => vec![year],
    };
    let cancelled = || cancel.is_some_and(|flag| flag.load(Ordering::Relaxed));
    let solved = if YearState::links_years(scenario) || settings.threads <= 1 || wanted.len() == 1 {
        solve_in_order(
            scenario,
            calibration,
            &wanted,
            settings,
            &cancelled,
            &mut |_, _| {},
            near::Warm::COLD,
        )?
    } else {
        solve_in_parallel(scenario, calibration, &wanted, settings, &cancelled)?
    };
    Ok(Solution {
        scenario: scenario.meta.name.clone(),
        years: solved,
        total_solve_ms: started.elapsed().as_secs_f64() * 1e3,
    })
}

/// Solves years one after the other from the first, each from the state the previous one
/// left (stock, built capacity, adapted demand), keeping the wanted ones.
///
/// Only the part of a year's results that the next year starts from is read before the
/// next year's solve begins ([`read::year_outcome`]); with more than one thread allowed,
/// the rest of the reading (nodes, flows, origins: about a tenth of a year's time) runs on
/// a second core while the next year solves, and `on_year` sees each year, in order, once
/// it is complete. The numbers are the same either way.
fn solve_in_order(
    scenario: &Scenario,
    calibration: &Calibration,
    wanted: &[i32],
    settings: &SolverSettings,
    cancelled: &dyn Fn() -> bool,
    on_year: &mut dyn FnMut(&YearState, &YearSolution),
    mut warm: near::Warm<'_>,
) -> Result<Vec<YearSolution>, SolveError> {
    let linked = YearState::links_years(scenario);
    let last_wanted = wanted
        .iter()
        .copied()
        .max()
        .unwrap_or(scenario.meta.first_year);
    let mut state = YearState::new(scenario);
    let mut solved = Vec::with_capacity(wanted.len());
    let mut deliver = |started_from: &YearState, year_solution: YearSolution| {
        on_year(started_from, &year_solution);
        if wanted.contains(&year_solution.year) {
            solved.push(year_solution);
        }
    };
    std::thread::scope(|scope| {
        // The year being completed on the second core, with the state it started from.
        // It catches its own panics (as `caught`), so no thread is ever left panicked.
        let mut completing: Option<(YearState, std::thread::ScopedJoinHandle<'_, _>)> = None;
        for year in scenario.years() {
            if cancelled() {
                return Err(SolveError::Cancelled);
            }
            let needed = wanted.contains(&year) || (linked && year < last_wanted);
            if !needed {
                continue;
            }
            let (problem, mut qp_solution, outcome) = caught(year, || {
                let problem = warm.build(scenario, calibration, year, &state);
                let qp_solution = warm.solve(&problem, &settings.qp, year);
                let outcome = read::year_outcome(&problem, &qp_solution);
                (problem, qp_solution, outcome)
            })?;
            warm.keep(year, &mut qp_solution);
            if let Some((started_from, handle)) = completing.take() {
                deliver(&started_from, joined(handle)?);
            }
            let started_from = state.clone();
            state.after_year(scenario, &outcome);
            let detail = settings.detail;
            let complete = move || {
                caught(year, || {
                    let mut year_solution = outcome;
                    match detail {
                        Detail::Full => {
                            read::complete_year(&problem, &qp_solution, &mut year_solution);
                        }
                        Detail::Markets => read::check_markets(&qp_solution, &mut year_solution),
                    }
                    year_solution
                })
            };
            if settings.threads > 1 {
                completing = Some((started_from, scope.spawn(complete)));
            } else {
                deliver(&started_from, complete()?);
            }
        }
        if let Some((started_from, handle)) = completing.take() {
            deliver(&started_from, joined(handle)?);
        }
        Ok(())
    })?;
    Ok(solved)
}

/// The year completed on the second core (its panics were caught in it).
fn joined(
    handle: std::thread::ScopedJoinHandle<'_, Result<YearSolution, SolveError>>,
) -> Result<YearSolution, SolveError> {
    handle
        .join()
        .unwrap_or_else(|payload| std::panic::resume_unwind(payload))
}

/// Runs one year's solve; a panic in it becomes [`SolveError::YearFailed`] naming the year,
/// so the app's worker reports it instead of its thread ending with nobody told.
fn caught<T>(year: i32, solve: impl FnOnce() -> T) -> Result<T, SolveError> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(solve)).map_err(|payload| {
        SolveError::YearFailed {
            years: vec![year],
            message: parallel::panic_message(&*payload),
        }
    })
}

/// Solves every year in order, each from the state the previous one left, and shows each
/// to `on_year` with the state it started from as soon as it is solved: what the app's
/// worker streams to the screen, keeping the states to answer the next edit's year on screen
/// at once ([`solve_year_from`]).
pub fn solve_each_year(
    scenario: &Scenario,
    calibration: &Calibration,
    settings: &SolverSettings,
    cancel: Option<&AtomicBool>,
    on_year: &mut dyn FnMut(&YearState, &YearSolution),
) -> Result<Solution, SolveError> {
    near::solve_all(
        scenario,
        calibration,
        settings,
        cancel,
        on_year,
        near::Warm::COLD,
    )
}

/// One year solved from a given starting state (stock, built capacity, adapted demand):
/// exact when `state` is what the years before left; an estimate, in one solve, when it is
/// a nearby scenario's (the app's first answer after an edit, replaced once the years
/// before are solved again).
pub fn solve_year_from(
    scenario: &Scenario,
    calibration: &Calibration,
    year: i32,
    state: &YearState,
    settings: &SolverSettings,
) -> Result<YearSolution, SolveError> {
    near::solve_year_with(
        scenario,
        calibration,
        year,
        state,
        settings,
        near::Warm::COLD,
    )
}

/// Solves independent years on a few threads (see [`parallel`]); a year whose solve fails
/// is an error naming it, never a year missing from the solution.
fn solve_in_parallel(
    scenario: &Scenario,
    calibration: &Calibration,
    wanted: &[i32],
    settings: &SolverSettings,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Vec<YearSolution>, SolveError> {
    let state = YearState::new(scenario);
    let solve_one = |year: i32| {
        let problem = YearProblem::build(scenario, calibration, year, &state);
        solve_year(&problem, settings)
    };
    let solved =
        parallel::solve_years_in_parallel(wanted, settings.threads, cancelled, &solve_one)?;
    if cancelled() {
        return Err(SolveError::Cancelled);
    }
    Ok(solved)
}

/// Solves one year's problem and reads its results back.
fn solve_year(problem: &YearProblem<'_>, settings: &SolverSettings) -> YearSolution {
    read::year_solution(problem, &problem.qp.solve(&settings.qp))
}

/// One year's exact problem as CPLEX LP text (quantities in kt, objective in US$ million),
/// for re-solving with another solver: the years before it are solved first, so the
/// problem starts from the state they leave (stock, capacity built, adapted demand).
pub fn lp_text(
    scenario: &Scenario,
    calibration: &Calibration,
    year: i32,
    settings: &SolverSettings,
) -> Result<String, SolveError> {
    let problems = validate(scenario);
    if !problems.is_empty() {
        return Err(SolveError::Invalid(problems));
    }
    let mut state = YearState::new(scenario);
    if YearState::links_years(scenario) {
        for earlier in scenario.years().filter(|&y| y < year) {
            let problem = YearProblem::build(scenario, calibration, earlier, &state);
            state.after_year(scenario, &solve_year(&problem, settings));
        }
    }
    let problem = YearProblem::build_named(scenario, calibration, year, &state);
    Ok(problem
        .qp
        .to_lp_string(&format!("rareflow: {}, year {year}", scenario.meta.name)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panicking_year_is_an_error_naming_the_year() {
        let failed: Result<YearSolution, _> = caught(2031, || panic!("a singular KKT system"));
        match failed {
            Err(SolveError::YearFailed { years, message }) => {
                assert_eq!(years, vec![2031]);
                assert_eq!(message, "a singular KKT system");
            }
            other => panic!("expected YearFailed, got {:?}", other.map(|y| y.year)),
        }
    }
}
