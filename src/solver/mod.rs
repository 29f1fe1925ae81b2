//! The equilibrium solver: shortfalls, prices, flows and origins, year by year.
//!
//! [`solve`] is a pure function of a [`Scenario`] and a [`Calibration`]: no GUI, no I/O,
//! deterministic, and it never panics on a valid scenario. An infeasible or numerically
//! troubled year is reported in its [`YearSolution::status`], not hidden.
//!
//! # The model: a spatial price equilibrium per year
//!
//! Each year is a market equilibrium over the network (Samuelson 1952; Takayama & Judge
//! 1971): the solver maximises consumers' gross surplus minus production and transport
//! costs, a concave quadratic program. Units inside the solver: quantities in kt, prices
//! in US$/kg, the objective in US$ million.
//!
//! Variables, all ≥ 0:
//!
//! | variable | meaning |
//! |---|---|
//! | `X[m]` | output of mine m (kt REO), ≤ its capacity |
//! | `x[m,r]` | concentrate from mine m to refinery r |
//! | `o[r,c]` | separated oxide c at refinery r, ≤ its circuits for c |
//! | `y[i→s,c]` | oxide c from country i (all its refineries) to the magnet plants of country s, or to demand region s |
//! | `z[g]` | magnets made at plant g, ≤ its capacity |
//! | `w[j→k,p]` | product p from country j's plants to region k |
//! | `q[k,c]` | consumption of c in region k |
//! | `release` | stock released by a stockpile policy |
//!
//! Rows:
//!
//! * mine: `Σ_r x[m,r] = X[m]`;
//! * composition travels with the concentrate: `o[r,c] ≤ recovery_r · Σ_m a[m,c] · x[m,r]`
//!   (what a refinery cannot or does not separate is set aside; secondary supply has no
//!   feed row, only its circuits);
//! * country oxide hub: `Σ_{r in i} o[r,c] = Σ_s y[i→s,c]`;
//! * recipe: `Σ_i y[i→j,c] = Σ_{g in j} b[g,c] · z[g]`; product hub `Σ_{g in j} z[g] = Σ_k w[j→k,p]`;
//! * regional balance `q[k,c] = Σ inflows + releases`, whose dual is the price of c in k;
//! * policies: a ban removes arcs; an export quota caps the sum of the arcs it covers
//!   (tonnes, or a share of the exporter's output); a production quota caps a country's
//!   output of a stage; a tariff adds to the cost of the arcs it covers; capacity changes
//!   and demand shocks change bounds and curves.
//!
//! Objective (maximised): `Σ S[k,c](q) − Σ cost_n(output_n) − Σ (transport + tariff)·flow`,
//! with
//!
//! * linear inverse demand through a calibrated anchor (`Q`, `P`) with elasticity ε:
//!   `P(q) = P·(1 + (Q − q)/(ε·Q))`, so prices rise smoothly as supply falls, up to the
//!   choke price `P·(1 + 1/ε)`; `Q` grows by the row's growth rate and demand shocks;
//! * rising marginal costs at every mine, circuit and magnet plant, `mc(x) = α + γ·x`,
//!   from the [`calibrate`](calibrate::calibrate) step.
//!
//! The program is strictly concave in consumption, so consumption and prices are unique
//! and move continuously with every slider (no jump from 0 to a penalty). Where two routes
//! cost the same, the equilibrium alone does not say how flow splits between them; a tiny
//! quadratic cost on every route (1e-4 $/kg per kt carried) picks the most even split, so
//! flows and origins are unique and steady from year to year, at a price effect well
//! under 0.01 $/kg.
//!
//! Reported per region and commodity: consumption, **shortfall** = `max(0, Q − q)`, and
//! **price** = `P(q)` (equal to the balance row's dual wherever q > 0; at q = 0 the choke
//! price). Price pressure is a price divided by the reference scenario's, minus 1.
//!
//! # Over the years
//!
//! Years are solved one by one (myopic), in parallel when no stockpile links them.
//! Capacities follow start years, ramps and capacity policies; demand grows; policies
//! switch on and off by year. A stockpile starts with its stock and releases up to its
//! rate each year: a fixed-rate stockpile releases whatever it may, a price-triggered one
//! releases only when its region's price exceeds the trigger (the release costs the
//! trigger price in the objective); what is released is gone for later years.
//!
//! # Origins
//!
//! After solving, [`origin`] follows the flows from mines through refineries and magnet
//! plants to regions, mixing proportionally at every node.

mod calibrate;
mod curves;
mod demand;
mod network;
pub mod origin;
pub mod qp;
mod read;
mod settings;
mod solution;
mod state;

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

pub use calibrate::calibrate;
pub use curves::{Calibration, CostCurve, DemandAnchor};
pub use network::{ROUTE_SPREAD_USD_PER_KG_PER_KT, YearProblem};
pub use settings::{SolveError, SolverSettings};
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
        solve_in_order(scenario, calibration, &wanted, settings, &cancelled)?
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
fn solve_in_order(
    scenario: &Scenario,
    calibration: &Calibration,
    wanted: &[i32],
    settings: &SolverSettings,
    cancelled: &dyn Fn() -> bool,
) -> Result<Vec<YearSolution>, SolveError> {
    let linked = YearState::links_years(scenario);
    let last_wanted = wanted
        .iter()
        .copied()
        .max()
        .unwrap_or(scenario.meta.first_year);
    let mut state = YearState::new(scenario);
    let mut solved = Vec::with_capacity(wanted.len());
    for year in scenario.years() {
        if cancelled() {
            return Err(SolveError::Cancelled);
        }
        let needed = wanted.contains(&year) || (linked && year < last_wanted);
        if !needed {
            continue;
        }
        let problem = YearProblem::build(scenario, calibration, year, &state);
        let year_solution = solve_year(&problem, settings);
        state.after_year(scenario, &year_solution);
        if wanted.contains(&year) {
            solved.push(year_solution);
        }
    }
    Ok(solved)
}

/// Solves independent years on a shared queue, latest first: later years have more
/// capacity and take longer, so handing them out first keeps both cores busy to the end.
fn solve_in_parallel(
    scenario: &Scenario,
    calibration: &Calibration,
    wanted: &[i32],
    settings: &SolverSettings,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Result<Vec<YearSolution>, SolveError> {
    let state = YearState::new(scenario);
    let queue: Vec<i32> = wanted.iter().rev().copied().collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let threads = settings.threads.min(wanted.len());
    let results: Vec<Vec<YearSolution>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|index| {
                let (state, queue, next) = (&state, &queue, &next);
                std::thread::Builder::new()
                    .name(format!("rareflow-solve-{index}"))
                    .spawn_scoped(scope, move || {
                        let mut out = Vec::new();
                        while let Some(&year) = queue.get(next.fetch_add(1, Ordering::Relaxed)) {
                            if cancelled() {
                                break;
                            }
                            let problem = YearProblem::build(scenario, calibration, year, state);
                            out.push(solve_year(&problem, settings));
                        }
                        out
                    })
                    .expect("a solver thread starts")
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().unwrap_or_default())
            .collect()
    });
    if cancelled() {
        return Err(SolveError::Cancelled);
    }
    let mut solved: Vec<YearSolution> = results.into_iter().flatten().collect();
    solved.sort_by_key(|y| y.year);
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
    let problem = YearProblem::build(scenario, calibration, year, &state);
    Ok(problem
        .qp
        .to_lp_string(&format!("rareflow: {}, year {year}", scenario.meta.name)))
}
