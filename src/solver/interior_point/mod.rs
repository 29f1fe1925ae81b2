//! rareflow's own interior-point method for its year problems: a primal-dual
//! Mehrotra predictor-corrector for a QP with a diagonal quadratic term and box bounds,
//!
//! ```text
//! minimise ½ xᵀDx + cᵀx   subject to   A_E x = b_E,   A_I x ≤ b_I,   l ≤ x ≤ u.
//! ```
//!
//! # Why not only Clarabel
//!
//! Clarabel is a general conic solver: it writes every bound as a row of its cone
//! (1,292 of 1,517 rows in a 2030 year of `in-force-2026.ron`) and carries them through its
//! homogeneous embedding, so four fifths of its time is bookkeeping around a small
//! factorisation. This method keeps bounds as bounds: each iteration factorises the
//! quasi-definite system
//!
//! ```text
//! [ D + Σ_bounds + δ     A_Eᵀ     A_Iᵀ          ] [Δx]
//! [ A_E                  −δ                      ] [Δy]
//! [ A_I                           −(S/Z + δ)     ] [Δz]
//! ```
//!
//! (variables plus rows, 1,199 for that year) with its own LDLᵀ (`ldl.rs`: ordered by
//! AMD, or in a warm start's order, and analysed once per pattern and order with
//! Clarabel's `qdldl` (`kkt.rs`), then factorised with each
//! row's pattern known in advance and the dense block of the regions' balance rows as a
//! dense matrix). Steps are Mehrotra's predictor-corrector with separate primal and dual
//! step lengths and one Gondzio centrality corrector (`steps.rs`): 20–25 iterations on the
//! shipped scenarios' years cold (fewer where a polish ends them, below), where Clarabel
//! takes 27–38.
//!
//! The data are equilibrated first as Clarabel does (Ruiz scaling of `[D Aᵀ; A 0]`, then
//! one cost scale), so that tonnes beside choke prices do not ruin the conditioning.
//!
//! Where an answer is unique (every consumed market's price, every flow of a strictly
//! convex problem) it is the one Clarabel gives, to the tolerance (tested on randomised
//! scenarios, `tests/interior_point.rs`). Where it is not (the rent of an expansion
//! option that builds nothing, the price of a hub nothing passes through), an interior
//! point lands near the middle of the interval and each method picks its own point.
//!
//! Once its merit is below [`POLISH_MERIT`], each iteration's guess of the active set
//! (which bounds and rows bind, by Tapia's indicators) is polished (`polish.rs`): the
//! optimality conditions on that guess are solved with one factorisation and checked, and
//! the answer is exact to rounding instead of to the tolerance. On 100 runs of a sweep of
//! `in-force-2026.ron`, 97 % of the years ended on a polish, and the years took 14.3
//! iterations instead of 16.9.
//!
//! A solve can start from a warm point instead of the cold one (`warm.rs`): an iterate
//! partway through a nearby problem's solve, each pair moved off the boundary. A sweep's
//! runs start from the unperturbed run's years and take about a third fewer iterations
//! (15.6 against 22.8 over 300 runs of `in-force-2026.ron`); if a warm start fails, the
//! same solve starts again cold. A warm point also carries the active set of its
//! solve's answer; a re-solve after a slider move first solves on that set, correcting it
//! as a primal-dual active-set method does for a step or two, and most years need no
//! interior-point iteration at all.
//!
//! When this method does not converge (an infeasible or unbounded year, data so badly
//! scaled that its steps stall) it gives up and the caller solves with Clarabel, which
//! also says why a problem has no solution.

mod iterates;
mod kkt;
mod ldl;
mod polish;
mod scaled;
mod steps;
mod warm;

pub(crate) use warm::WarmPoint;

use iterates::{InverseGaps, Iterates, Residuals};
use kkt::Kkt;
use polish::{ActiveSet, Polished};
use scaled::ScaledProblem;
use steps::Complementarity;

/// The problem as the method reads it. Rows are sparse (`row_start` indexes `columns` and
/// `coefficients` as in compressed sparse rows); a variable may appear in a row more than
/// once (its coefficients add up).
pub(super) struct BoxQp<'a> {
    pub linear: &'a [f64],
    pub quadratic: &'a [f64],
    pub lower: &'a [f64],
    pub upper: &'a [f64],
    pub row_start: &'a [usize],
    pub columns: &'a [usize],
    pub coefficients: &'a [f64],
    pub rhs: &'a [f64],
    pub is_equality: &'a [bool],
}

/// Tolerances and limits of one solve.
#[derive(Clone, Copy, Debug)]
pub(super) struct InteriorSettings {
    pub tolerance_gap: f64,
    pub tolerance_feasibility: f64,
    pub max_iterations: u32,
    pub equilibration_passes: u32,
    /// Active-set steps a warm solve takes before its interior point (see
    /// [`on_warm_active_set`]).
    pub warm_active_set_steps: u32,
}

/// A converged solve: primal values and the dual of every row (Clarabel's sign convention:
/// `D x + c + Aᵀ y` is zero on free variables).
pub(super) struct InteriorSolution {
    pub values: Vec<f64>,
    pub row_duals: Vec<f64>,
    pub iterations: u32,
    /// The iterate recorded for warm starts, where one was asked for.
    pub warm_point: Option<WarmPoint>,
}

/// Static regularisation of the factorised system: small against the equilibrated data
/// (entries near 1), large enough that every pivot keeps its sign.
const REGULARISATION: f64 = 1e-9;
/// The merit below which each new active-set guess is polished (see `polish.rs`).
const POLISH_MERIT: f64 = 1e-8;
/// Polishes an iteration's guess may take, its corrections included: one. A second, on
/// the corrected guess, saved 123 iterations in 100 runs of `in-force-2026.ron` for 146
/// more polishes (each costs about an iteration).
const POLISH_STEPS: u32 = 1;
/// Fraction of the distance to the boundary a step may go.
const STEP_FRACTION: f64 = 0.99;
/// Ruiz scaling factors stay within these limits (Clarabel's defaults).
const SCALE_LIMITS: (f64, f64) = (1e-4, 1e4);

/// Solves `problem`, or returns `None` when the method does not converge within
/// `settings.max_iterations` or is seen to be failing (see [`Progress`]).
///
/// With `warm`, the method starts from that point (and from the cold point if it fails
/// from there), its Newton system pivoted in the point's order where the point has one
/// for this problem; with `record`, the solution keeps a warm point for nearby problems
/// (see `warm.rs`).
pub(super) fn solve(
    problem: &BoxQp<'_>,
    settings: &InteriorSettings,
    warm: Option<&WarmPoint>,
    record: bool,
) -> Option<InteriorSolution> {
    let known_scales = warm.map(WarmPoint::scales);
    let scaled = ScaledProblem::with_scales(problem, settings.equilibration_passes, known_scales);
    let mut spent = 0;
    // The warm point's pivot order serves the cold start too: the order changes only
    // the rounding, and keeping it keeps AMD out of a failed warm start's retry.
    let order = warm.and_then(|point| point.order_in(&scaled));
    let mut kkt = Kkt::new(&scaled, order.as_deref())?;
    if let Some(point) = warm {
        if let Some(solution) =
            on_warm_active_set(&scaled, settings, &mut kkt, point, record, &mut spent)
        {
            return Some(solution);
        }
        if let Some(start) = point.start(&scaled) {
            let keep = record.then_some(Keep::BelowMu(point.mu_in(&scaled)));
            if let Some(mut solution) =
                iterate(&scaled, settings, start, &mut kkt, keep, &mut spent)
            {
                solution.iterations = spent;
                return Some(solution);
            }
        }
    }
    let keep = record.then_some(Keep::AtMerit);
    let mut solution = iterate(
        &scaled,
        settings,
        Iterates::start(&scaled)?,
        &mut kkt,
        keep,
        &mut spent,
    )?;
    // A failed warm start's iterations count too.
    solution.iterations = spent;
    Some(solution)
}

/// The answer on the active set of the warm point's answer, corrected at most
/// `settings.warm_active_set_steps` − 1 times (see `polish.rs`); `None` where that does
/// not reach it.
/// After a slider move most years keep their active set, and one factorisation answers
/// them; each step counts as an iteration in `spent`.
fn on_warm_active_set(
    scaled: &ScaledProblem,
    settings: &InteriorSettings,
    kkt: &mut Kkt,
    point: &WarmPoint,
    record: bool,
    spent: &mut u32,
) -> Option<InteriorSolution> {
    let guess = point.active_in(scaled)?;
    let start = point.start(scaled)?;
    let from = point.answer_in(scaled, &start);
    let verbose = std::env::var_os("RAREFLOW_QP_VERBOSE").is_some();
    let log = |outcome: &Polished, guess: &ActiveSet| {
        if verbose {
            eprintln!("active set step: {}", outcome.describe(guess));
        }
    };
    let steps = settings.warm_active_set_steps;
    let (settled, attempts) = polish::settle(scaled, settings, kkt, guess, &from, steps, log);
    *spent += attempts;
    let (exact, active) = settled?;
    let mut solution = scaled.unscale(&exact, *spent);
    if record {
        // The warm point's own iterate goes on to the next problem, with this answer's
        // active set: while active-set steps answer a chain of edits, the chain carries
        // its first solve's iterate (see `Keep::BelowMu`), which only a failed chain of
        // steps starts from; the active set, which they all start from, is this one's.
        let mut kept = WarmPoint::record(scaled, &start, point.mu_in(scaled), kkt.pivot_places());
        kept.set_answer(scaled, &active, &exact);
        solution.warm_point = Some(kept);
    }
    Some(solution)
}

/// Which iterate a solve keeps as its warm point.
#[derive(Clone, Copy)]
enum Keep {
    /// The first whose merit is at most [`warm::WARM_MERIT`] (or the first converged).
    AtMerit,
    /// In a solve that started from a warm point with this mean product: the first after
    /// the start whose mean product is no larger (or the first converged). A chain of
    /// warm-started solves (the app's edits, one after another) so keeps points as far
    /// along as the first: its own start, kept instead, would carry the first problem's
    /// point on unchanged, and its merit-0.1 iterate would come earlier in each solve.
    BelowMu(f64),
}

/// The method's iterations from `start`, factorising `kkt` (pivoted as [`solve`] set it
/// up), keeping a warm point where asked; `spent` counts the steps taken (converged or
/// not).
fn iterate(
    scaled: &ScaledProblem,
    settings: &InteriorSettings,
    start: Iterates,
    kkt: &mut Kkt,
    keep: Option<Keep>,
    spent: &mut u32,
) -> Option<InteriorSolution> {
    let mut recorded = None;
    let solution = iterations(
        scaled,
        settings,
        start,
        kkt,
        keep.map(|keep| (keep, &mut recorded)),
        spent,
    )?;
    Some(InteriorSolution {
        warm_point: recorded,
        ..solution
    })
}

/// The iterations themselves (pivoted as [`iterate`] says): the warm point, where asked,
/// is kept in `recorded`.
fn iterations(
    scaled: &ScaledProblem,
    settings: &InteriorSettings,
    start: Iterates,
    kkt: &mut Kkt,
    mut recorded: Option<(Keep, &mut Option<WarmPoint>)>,
    spent: &mut u32,
) -> Option<InteriorSolution> {
    let mut method = start;
    let verbose = std::env::var_os("RAREFLOW_QP_VERBOSE").is_some();
    let mut progress = Progress::default();
    // Work space of every iteration, allocated once.
    let mut residuals = Residuals::new(scaled);
    let mut inverse = InverseGaps::new(scaled);
    let mut affine = Iterates::zeros(scaled);
    let mut step = Iterates::zeros(scaled);
    let mut corrected = Iterates::zeros(scaled);
    let mut change = Complementarity::new(scaled);
    // The iterate that first met the tolerances, and its merit: one more step is taken from
    // it (see [`polished`]).
    let mut converged: Option<(InteriorSolution, f64)> = None;
    // The last active set a polish was tried on and failed.
    let mut tried: Option<ActiveSet> = None;
    // The iterate before the last step, once the merit is near polishing.
    let mut before = Iterates::zeros(scaled);
    let mut before_known = false;
    for iteration in 1..=settings.max_iterations {
        method.residuals(scaled, &mut residuals);
        if let Some((keep, point)) = recorded.as_mut()
            && point.is_none()
            && residuals.is_finite()
            && (residuals.converged(scaled, settings)
                || match *keep {
                    Keep::AtMerit => residuals.merit(scaled) <= warm::WARM_MERIT,
                    Keep::BelowMu(mu) => iteration > 1 && residuals.mu <= mu,
                })
        {
            **point = Some(WarmPoint::record(
                scaled,
                &method,
                residuals.mu,
                kkt.pivot_places(),
            ));
        }
        if verbose {
            residuals.print(scaled, iteration);
        }
        if let Some(first) = converged.take() {
            return Some(polished(
                first,
                scaled,
                settings,
                &method,
                &residuals,
                iteration - 1,
            ));
        }
        if before_known && residuals.is_finite() && residuals.merit(scaled) <= POLISH_MERIT {
            let guess = ActiveSet::guess(scaled, &before, &method);
            if tried.as_ref() != Some(&guess) {
                let merit = residuals.merit(scaled);
                let log = |outcome: &Polished, guess: &ActiveSet| {
                    if verbose {
                        eprintln!("polish at merit {merit:.1e}: {}", outcome.describe(guess));
                    }
                };
                let (settled, _) = polish::settle(
                    scaled,
                    settings,
                    kkt,
                    guess.clone(),
                    &method,
                    POLISH_STEPS,
                    log,
                );
                if let Some((exact, active)) = settled {
                    if let Some((_, point)) = recorded.as_mut() {
                        let point = point.get_or_insert_with(|| {
                            WarmPoint::record(scaled, &method, residuals.mu, kkt.pivot_places())
                        });
                        point.set_answer(scaled, &active, &exact);
                    }
                    return Some(scaled.unscale(&exact, iteration - 1));
                }
                tried = Some(guess);
            }
        }
        if residuals.is_finite() && residuals.converged(scaled, settings) {
            if iteration == settings.max_iterations {
                return Some(scaled.unscale(&method, iteration - 1));
            }
            converged = Some((
                scaled.unscale(&method, iteration - 1),
                residuals.merit(scaled),
            ));
        } else if !residuals.is_finite() || progress.failing(residuals.merit(scaled)) {
            return None;
        }
        method.inverse_gaps(scaled, &mut inverse);
        if kkt.factor(scaled, &method, &inverse).is_none() {
            return converged.map(|(solution, _)| solution);
        }
        // Predictor: the pure Newton step towards μ = 0.
        method.change_towards(scaled, 0.0, None, &mut change);
        method.direction(scaled, kkt, &residuals, &inverse, &change, &mut affine);
        let affine_steps = method.steps_to_boundary(scaled, &affine);
        let mu_affine = method.complementarity_after(scaled, &affine, affine_steps);
        // Mehrotra's centring; none where there is nothing to centre (no bound and no
        // inequality row, so μ = 0).
        let sigma = if residuals.mu > 0.0 {
            (mu_affine / residuals.mu).powi(3).clamp(0.0, 1.0)
        } else {
            0.0
        };
        let target = sigma * residuals.mu;
        // Corrector: centred, with the predictor's second-order term.
        method.change_towards(scaled, target, Some(&affine), &mut change);
        method.direction(scaled, kkt, &residuals, &inverse, &change, &mut step);
        let mut steps = method.steps_to_boundary(scaled, &step);
        // Gondzio's corrector, when the step is cut short: aim the products at steps twice
        // as long, and keep the corrected direction if it lets the method go further.
        if steps.primal < 1.0 || steps.dual < 1.0 {
            method.centrality_correction(scaled, &step, steps.times(2.0), target, &mut change);
            method.direction(scaled, kkt, &residuals, &inverse, &change, &mut corrected);
            let corrected_steps = method.steps_to_boundary(scaled, &corrected);
            if corrected_steps.improve_on(steps) {
                std::mem::swap(&mut step, &mut corrected);
                steps = corrected_steps;
            }
        }
        before_known = residuals.merit(scaled) <= 1e3 * POLISH_MERIT;
        if before_known {
            before.copy_from(&method);
        }
        method.take(&step, steps.times(STEP_FRACTION));
        *spent += 1;
    }
    converged.map(|(solution, _)| solution)
}

/// The answer after one step past the point where the tolerances were first met: that
/// step's iterate where it still meets them and its merit is no worse, else the first.
///
/// Meeting the tolerances once leaves a price on a steep demand curve less settled than it
/// looks. Build decisions whose welfare is nearly flat stop about 1e-5 of their size from
/// the optimum, years carry them on, and a market like China's yttrium (elasticity 0.05: a
/// quantity error of 5e-6 is a price error of 1e-4) ended a horizon 1.4e-4 from the price
/// Clarabel and this method find at 1e-11 (`in-force-2026.ron`, run 2 of seed 11, 2035).
/// On that year the step cut the gap 26-fold and the dual residual 2.4-fold, leaving the
/// price 2.8e-5 from Clarabel's. It costs one factorisation a year (about 4 % of a solve).
fn polished(
    first: (InteriorSolution, f64),
    problem: &ScaledProblem,
    settings: &InteriorSettings,
    method: &Iterates,
    residuals: &Residuals,
    iterations: u32,
) -> InteriorSolution {
    let (solution, merit) = first;
    let merit_after = residuals.merit(problem);
    if residuals.is_finite() && residuals.converged(problem, settings) && merit_after <= merit {
        problem.unscale(method, iterations)
    } else {
        solution
    }
}

/// Whether the method is failing, so that Clarabel takes over before more time is lost:
/// its merit (the largest relative residual or gap) grew a thousandfold above where it
/// started (on the calibration problem the gap rose from 1e3 to 3e9 in seven iterations
/// and Clarabel was needed after fifty), or it has not fallen tenfold in
/// [`STALL_ITERATIONS`] iterations.
#[derive(Default)]
struct Progress {
    first: Option<f64>,
    /// The best merit so far and the iteration it was reached at.
    best: Option<(f64, u32)>,
    iteration: u32,
}

/// Iterations without a tenfold improvement after which the method gives up.
const STALL_ITERATIONS: u32 = 12;

impl Progress {
    fn failing(&mut self, merit: f64) -> bool {
        self.iteration += 1;
        let first = *self.first.get_or_insert(merit);
        match self.best {
            Some((best, _)) if merit > 0.1 * best => {}
            _ => self.best = Some((merit, self.iteration)),
        }
        let since_best = self.best.map_or(0, |(_, at)| self.iteration - at);
        merit > 1e3 * first || since_best >= STALL_ITERATIONS
    }
}
