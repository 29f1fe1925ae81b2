//! Polishing: the exact answer on a guessed active set, checked before it is believed.
//!
//! Near the end of a solve an interior point already shows which bounds bind (a bound's
//! dual larger than its gap) and which inequality rows hold with equality (a row's dual
//! larger than its slack). With that guess the optimality conditions are a linear system:
//! a variable at a bound is fixed there, a free one has `D x + c + Aᵀ y = 0`, a binding
//! row has `A x = b` and a slack one a zero dual. One factorisation of the Newton
//! system's pattern, with its diagonal written for the guess, and a few refinement solves
//! give that system's solution to rounding; it is the answer when it is feasible (free
//! variables within their bounds, slack rows below their right-hand sides) and its
//! multipliers have their signs (bound duals and binding rows' duals not negative), which
//! the method's own convergence test then checks on the full residuals.
//!
//! This is OSQP's polish (Stellato et al. 2020, "OSQP: an operator splitting solver for
//! quadratic programs", Math. Prog. Comp. 12, §5.2), done on the interior point's iterate
//! instead of ADMM's. An interior point needs five or six more iterations to take its gap
//! from 1e-6 to the sweep's 1e-11; the polish takes one factorisation. It also settles
//! what an interior point settles slowly: a price on a steep demand curve (see
//! [`super::polished`]) comes out of a linear solve, not out of a gap closing.
//!
//! The factorised matrix pins instead of eliminating, so that the pattern and its analysis
//! are the Newton system's: a fixed variable's diagonal is [`PIN`] (its row then says
//! `PIN x + (Aᵀ y)_j = PIN bound`, off by `(Aᵀ y)_j / PIN`), a slack row's `−PIN`, and free
//! variables and binding rows keep the method's regularisation. Iterative refinement
//! against the exact conditions removes both perturbations.

use super::iterates::{Iterates, Residuals};
use super::kkt::Kkt;
use super::scaled::ScaledProblem;
use super::{InteriorSettings, REGULARISATION};

/// Diagonal weight that pins a variable to its bound, or a slack row's dual to zero,
/// against the equilibrated data's entries near 1: each refinement shrinks the pin's
/// error about this much.
const PIN: f64 = 1e8;
/// Refinement solves after the first, at most.
const REFINEMENTS: usize = 4;

/// Where a variable is guessed to sit at the optimum.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Place {
    Free,
    AtLower,
    AtUpper,
}

/// A guess of the bounds and rows that bind at the optimum.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct ActiveSet {
    pub(super) variables: Vec<Place>,
    /// Whether each row holds with equality there (every equality row does).
    pub(super) binding: Vec<bool>,
}

impl ActiveSet {
    /// The guess the last step gives (Tapia's indicators: El-Bakry, Tapia and Zhang 1994,
    /// "A study of indicators for identifying zero variables in interior-point methods",
    /// SIAM Review 36): near the optimum a binding pair's gap shrinks by the step while its
    /// dual stays, and a slack pair's dual shrinks while its gap stays. So a bound binds
    /// where its gap fell by a larger factor than its dual from `before` to `at`, and so
    /// does an inequality row with its slack. Unlike comparing a gap with its dual, this
    /// does not depend on the units of either: at a cost scale where duals are 1e-7 and
    /// gaps 1e-5, a binding bound's dual is still smaller than its gap.
    pub(super) fn guess(problem: &ScaledProblem, before: &Iterates, at: &Iterates) -> Self {
        // An infinite bound's ratios are NaN (∞/∞, 0/0), which bind nothing.
        let binds = |gap: f64, gap_before: f64, dual: f64, dual_before: f64| {
            gap / gap_before < dual / dual_before
        };
        let variables = (0..problem.variable_count())
            .map(|j| {
                let (l, u) = (problem.lower[j], problem.upper[j]);
                let (lower_gap, upper_gap) = (at.x[j] - l, u - at.x[j]);
                let at_lower = binds(
                    lower_gap,
                    before.x[j] - l,
                    at.lower_dual[j],
                    before.lower_dual[j],
                );
                let at_upper = binds(
                    upper_gap,
                    u - before.x[j],
                    at.upper_dual[j],
                    before.upper_dual[j],
                );
                match (at_lower, at_upper) {
                    (true, true) if lower_gap <= upper_gap => Place::AtLower,
                    (true, true) => Place::AtUpper,
                    (true, false) => Place::AtLower,
                    (false, true) => Place::AtUpper,
                    (false, false) => Place::Free,
                }
            })
            .collect();
        let binding = (0..problem.row_count())
            .map(|i| problem.is_equality[i] || binds(at.s[i], before.s[i], at.y[i], before.y[i]))
            .collect();
        Self { variables, binding }
    }
}

/// What a polish found.
pub(super) enum Polished {
    /// The answer: the conditions on the guess solved, feasible, with multipliers of the
    /// right signs, and meeting the method's tolerances.
    Exact(Iterates),
    /// The guess was wrong; this is the guess corrected as a primal-dual active-set
    /// method corrects it (Hintermüller, Ito and Kunisch 2002, SIAM J. Optim. 13): a free
    /// variable past a bound is fixed at it, a fixed one whose multiplier has the wrong
    /// sign is freed, and likewise for inequality rows.
    Wrong(ActiveSet),
    /// The answer on the guess, though feasible with multipliers of the right signs, does
    /// not meet the tolerances (refinement stalled on a nearly singular system), or a
    /// pivot was not finite, or the bounds cross.
    Failed,
}

impl Polished {
    /// What happened to the polish of `guess`, for `RAREFLOW_QP_VERBOSE`.
    pub(super) fn describe(&self, guess: &ActiveSet) -> String {
        match self {
            Self::Exact(_) => "exact".into(),
            Self::Wrong(corrected) => {
                let changed =
                    |a: &[Place], b: &[Place]| a.iter().zip(b).filter(|(a, b)| a != b).count();
                let flipped = corrected
                    .binding
                    .iter()
                    .zip(&guess.binding)
                    .filter(|(a, b)| a != b);
                let count = changed(&corrected.variables, &guess.variables) + flipped.count();
                format!("wrong on {count} items")
            }
            Self::Failed => "failed".into(),
        }
    }
}

/// The iterate that solves the optimality conditions on `active` exactly, refined from
/// `from`'s `x` and `y` (see [`Polished`]). With `quick`, a guess the first solve shows
/// clearly wrong is given up at once, corrected only where that solve shows it (a caller
/// that will not step on to the correction saves the refinement); without, every
/// correction is found. `kkt` is left factorised for the guess; the method's next
/// factorisation overwrites it.
pub(super) fn polish(
    problem: &ScaledProblem,
    settings: &InteriorSettings,
    kkt: &mut Kkt,
    active: &ActiveSet,
    from: &Iterates,
    quick: bool,
    residuals: &mut Residuals,
) -> Polished {
    let (n, m) = (problem.variable_count(), problem.row_count());
    if (0..n).any(|j| problem.lower[j] > problem.upper[j]) {
        // No feasible point: the interior point refuses it too, and Clarabel says why.
        return Polished::Failed;
    }
    let variable_diagonal = active.variables.iter().enumerate().map(|(j, place)| {
        if *place == Place::Free {
            problem.quadratic[j] + REGULARISATION
        } else {
            PIN
        }
    });
    let row_diagonal = active
        .binding
        .iter()
        .map(|&binding| if binding { -REGULARISATION } else { -PIN });
    if kkt
        .factor_diagonal(variable_diagonal.chain(row_diagonal))
        .is_none()
    {
        return Polished::Failed;
    }
    // Refinement starts from the iterate, so that where the conditions leave the answer
    // open (a flow between two routes of equal cost) it stays near the interior point's.
    let mut point = Iterates::zeros(problem);
    point.x.copy_from_slice(&from.x);
    point.y.copy_from_slice(&from.y);
    let (mut to_x, mut to_y) = (vec![0.0; n], vec![0.0; m]);
    let (mut step_x, mut step_y) = (vec![0.0; n], vec![0.0; m]);
    let mut last = f64::INFINITY;
    // Whether the first solve already showed the guess wrong: the checks below then look
    // for every correction with the first solve's margins, unrefined.
    let mut rough = false;
    for refinement in 0..=REFINEMENTS {
        let size = exact_residual(problem, active, &point, &mut to_x, &mut to_y);
        // Stop where the residual is at rounding or refinement has stopped gaining, and
        // take back a step that made it worse.
        if size.is_nan() || size > last {
            point.x.iter_mut().zip(&step_x).for_each(|(x, d)| *x -= d);
            point.y.iter_mut().zip(&step_y).for_each(|(y, d)| *y -= d);
            break;
        }
        if size == 0.0 || size > 0.5 * last {
            break;
        }
        last = size;
        kkt.solve(&mut to_x, &mut to_y);
        point.x.iter_mut().zip(&to_x).for_each(|(x, d)| *x += d);
        point.y.iter_mut().zip(&to_y).for_each(|(y, d)| *y += d);
        std::mem::swap(&mut step_x, &mut to_x);
        std::mem::swap(&mut step_y, &mut to_y);
        // Most wrong guesses show after the first solve: refining them is wasted.
        if refinement == 0
            && let Some(corrected) = corrected(problem, active, &point, CLEARLY, (CLEARLY, CLEARLY))
        {
            if quick {
                return Polished::Wrong(corrected);
            }
            rough = true;
            break;
        }
    }
    let (relative, primal_slack, dual_slack) = if rough {
        (CLEARLY, CLEARLY, CLEARLY)
    } else {
        let primal = settings.tolerance_feasibility * (1.0 + largest(&problem.rhs));
        let dual = settings.tolerance_feasibility * (1.0 + largest(&problem.linear));
        (0.0, primal, dual)
    };
    let mut guess = corrected(
        problem,
        active,
        &point,
        relative,
        (primal_slack, dual_slack),
    )
    .unwrap_or_else(|| active.clone());
    let mut wrong = guess != *active;
    // Fixed variables at their bounds, slack rows' duals at zero, exactly.
    for (j, place) in active.variables.iter().enumerate() {
        match place {
            // `max` then `min`, not `clamp`: crossed bounds (refused above) would panic.
            Place::Free => point.x[j] = point.x[j].max(problem.lower[j]).min(problem.upper[j]),
            Place::AtLower => point.x[j] = problem.lower[j],
            Place::AtUpper => point.x[j] = problem.upper[j],
        }
    }
    for (i, &binding) in active.binding.iter().enumerate() {
        if !binding {
            point.y[i] = 0.0;
        } else if !problem.is_equality[i] {
            point.y[i] = point.y[i].max(0.0);
        }
    }
    // Slacks from the rows' activity, bound duals from the free-variable condition.
    let mut dual = problem.linear.clone();
    for (j, d) in dual.iter_mut().enumerate() {
        *d += problem.quadratic[j] * point.x[j];
    }
    for i in 0..m {
        let mut activity = 0.0;
        for (j, a) in problem.row(i) {
            activity += a * point.x[j];
            dual[j] += a * point.y[i];
        }
        if !problem.is_equality[i] && !active.binding[i] {
            let slack = problem.rhs[i] - activity;
            if slack < -primal_slack {
                (guess.binding[i], wrong) = (true, true);
            }
            point.s[i] = slack.max(0.0);
        }
    }
    for (j, place) in active.variables.iter().enumerate() {
        let multiplier = match place {
            Place::Free => continue,
            Place::AtLower => dual[j],
            Place::AtUpper => -dual[j],
        };
        if multiplier < -dual_slack {
            (guess.variables[j], wrong) = (Place::Free, true);
        }
        match place {
            Place::AtLower => point.lower_dual[j] = multiplier.max(0.0),
            Place::AtUpper => point.upper_dual[j] = multiplier.max(0.0),
            Place::Free => {}
        }
    }
    if wrong {
        return Polished::Wrong(guess);
    }
    point.residuals(problem, residuals);
    if residuals.is_finite() && residuals.converged(problem, settings) {
        Polished::Exact(point)
    } else {
        Polished::Failed
    }
}

/// Polishes `guess`, then each correction of it, `steps` times at most: the answer and the
/// active set it is exact on (or `None`), and how many polishes that took. With one step
/// there is no correction to step on to, and the polish is quick (see [`polish`]). `log`
/// hears each polish.
pub(super) fn settle(
    problem: &ScaledProblem,
    settings: &InteriorSettings,
    kkt: &mut Kkt,
    mut guess: ActiveSet,
    from: &Iterates,
    steps: u32,
    log: impl Fn(&Polished, &ActiveSet),
) -> (Option<(Iterates, ActiveSet)>, u32) {
    let mut residuals = Residuals::new(problem);
    for attempt in 1..=steps {
        let outcome = polish(
            problem,
            settings,
            kkt,
            &guess,
            from,
            steps == 1,
            &mut residuals,
        );
        log(&outcome, &guess);
        match outcome {
            Polished::Exact(point) => return (Some((point, guess)), attempt),
            Polished::Wrong(corrected) => guess = corrected,
            Polished::Failed => return (None, attempt),
        }
    }
    (None, steps)
}

/// `active` corrected where `point` shows it wrong by more than the margins (`relative`
/// times the bound plus `primal` past a bound, `dual` below zero): a free variable past a
/// bound is fixed at it, a binding inequality row with a negative dual is let go. `None`
/// where nothing is.
fn corrected(
    problem: &ScaledProblem,
    active: &ActiveSet,
    point: &Iterates,
    relative: f64,
    (primal, dual): (f64, f64),
) -> Option<ActiveSet> {
    let mut guess: Option<ActiveSet> = None;
    for (j, place) in active.variables.iter().enumerate() {
        let (x, l, u) = (point.x[j], problem.lower[j], problem.upper[j]);
        let fixed = if *place != Place::Free {
            continue;
        } else if x < l - primal - relative * l.abs() {
            Place::AtLower
        } else if x > u + primal + relative * u.abs() {
            Place::AtUpper
        } else {
            continue;
        };
        guess.get_or_insert_with(|| active.clone()).variables[j] = fixed;
    }
    for (i, &binding) in active.binding.iter().enumerate() {
        if binding && !problem.is_equality[i] && point.y[i] < -dual {
            guess.get_or_insert_with(|| active.clone()).binding[i] = false;
        }
    }
    guess
}

/// How far past a bound (relative) a first solve's answer must be to be clearly wrong.
const CLEARLY: f64 = 1e-5;

/// The residual of the optimality conditions on `active` at `point`, in the factorised
/// system's units (a pinned item's condition times [`PIN`]), written into `to_x` and
/// `to_y`; returns its largest entry.
fn exact_residual(
    problem: &ScaledProblem,
    active: &ActiveSet,
    point: &Iterates,
    to_x: &mut [f64],
    to_y: &mut [f64],
) -> f64 {
    for (j, r) in to_x.iter_mut().enumerate() {
        *r = -problem.linear[j] - problem.quadratic[j] * point.x[j];
    }
    for (i, r) in to_y.iter_mut().enumerate() {
        let mut activity = 0.0;
        for (j, a) in problem.row(i) {
            activity += a * point.x[j];
            to_x[j] -= a * point.y[i];
        }
        *r = if active.binding[i] {
            problem.rhs[i] - activity
        } else {
            PIN * point.y[i]
        };
    }
    for (j, place) in active.variables.iter().enumerate() {
        match place {
            Place::Free => {}
            Place::AtLower => to_x[j] = PIN * (problem.lower[j] - point.x[j]),
            Place::AtUpper => to_x[j] = PIN * (problem.upper[j] - point.x[j]),
        }
    }
    largest(to_x).max(largest(to_y))
}

fn largest(values: &[f64]) -> f64 {
    values.iter().fold(0.0_f64, |a, v| a.max(v.abs()))
}

#[cfg(test)]
mod tests;
