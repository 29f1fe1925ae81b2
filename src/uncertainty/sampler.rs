//! The seeded sampler: run k's draws depend only on (seed, k).
//!
//! Each run has its own SplitMix64 stream (Steele, Lea & Flood 2014), seeded by mixing the
//! sweep's seed with the run number, so any shard of a sweep draws exactly the runs one
//! machine would, in any order, with no crate between the seed and the numbers. Inputs
//! take their numbers from the run's stream in the order the scenario lists them.
//! Inputs are drawn independently here; [`super::copula`] correlates the ones a scenario
//! correlates.

use crate::model::{Distribution, UncertainInput, YearSlip};

/// The 5 % and 95 % points of the standard normal distribution, ±z.
const NORMAL_Z_95: f64 = 1.644_853_626_951_472_2;

/// One input's drawn value.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum InputDraw {
    /// Multiplies the scenario's value.
    Multiplier(f64),
    /// Years added to a start year.
    SlipYears(i32),
}

impl InputDraw {
    /// The value as a number for CSV and charts (a multiplier, or years).
    pub fn as_number(self) -> f64 {
        match self {
            InputDraw::Multiplier(factor) => factor,
            InputDraw::SlipYears(years) => f64::from(years),
        }
    }

    /// The draw that leaves the scenario as it is.
    pub fn nominal(input: &UncertainInput) -> Self {
        if input.target.is_year_slip() {
            InputDraw::SlipYears(0)
        } else {
            InputDraw::Multiplier(1.0)
        }
    }
}

/// Every input's value in one run, in the order of the scenario's uncertain inputs.
#[derive(Clone, Debug, PartialEq)]
pub struct Draw {
    pub run: u64,
    pub values: Vec<InputDraw>,
}

/// A small, fast, well-mixed generator (SplitMix64); one per run.
#[derive(Clone, Debug)]
pub struct SplitMix64 {
    state: u64,
}

impl SplitMix64 {
    /// Run `run`'s stream of a sweep seeded with `seed`.
    pub fn for_run(seed: u64, run: u64) -> Self {
        let run_key = mix(run.wrapping_add(0x632B_E59B_D9B4_E019));
        Self {
            state: mix(seed ^ run_key),
        }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.state)
    }

    /// Uniform in [0, 1), 53 random bits.
    pub fn next_unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Standard normal, by Box–Muller (one of the pair; two numbers per call).
    pub fn next_standard_normal(&mut self) -> f64 {
        let radius_unit = 1.0 - self.next_unit(); // in (0, 1]: ln is finite
        let angle_unit = self.next_unit();
        (-2.0 * radius_unit.ln()).sqrt() * (std::f64::consts::TAU * angle_unit).cos()
    }
}

/// SplitMix64's output function: a bijection that spreads every input bit over the word.
fn mix(value: u64) -> u64 {
    let mut z = value;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Run `run`'s draw of every input.
pub fn draw_run(inputs: &[UncertainInput], seed: u64, run: u64) -> Draw {
    let mut stream = SplitMix64::for_run(seed, run);
    let values = inputs
        .iter()
        .map(|input| sample(&input.distribution, &mut stream))
        .collect();
    Draw { run, values }
}

/// One value of a distribution.
pub fn sample(distribution: &Distribution, stream: &mut SplitMix64) -> InputDraw {
    match distribution {
        Distribution::LogNormal { median, sigma } => {
            InputDraw::Multiplier(median * (sigma * stream.next_standard_normal()).exp())
        }
        Distribution::YearSlip(outcomes) => {
            InputDraw::SlipYears(slip_at(outcomes, stream.next_unit()))
        }
        continuous => InputDraw::Multiplier(inverse_cdf(continuous, stream.next_unit())),
    }
}

/// The distribution's `probability` point (5 % or 95 % for the tornado's bars): exact for
/// every kind; a log-normal's only at 5 % and 95 % (the points the tornado needs) and at
/// 50 %, else `None`.
pub fn quantile(distribution: &Distribution, probability: f64) -> Option<InputDraw> {
    match distribution {
        Distribution::LogNormal { median, sigma } => {
            let z = if (probability - 0.05).abs() < 1e-12 {
                -NORMAL_Z_95
            } else if (probability - 0.95).abs() < 1e-12 {
                NORMAL_Z_95
            } else if (probability - 0.5).abs() < 1e-12 {
                0.0
            } else {
                return None;
            };
            Some(InputDraw::Multiplier(median * (sigma * z).exp()))
        }
        Distribution::YearSlip(outcomes) => {
            let mut sorted = outcomes.clone();
            sorted.sort_by_key(|outcome| outcome.years);
            Some(InputDraw::SlipYears(slip_at(&sorted, probability)))
        }
        continuous => Some(InputDraw::Multiplier(inverse_cdf(continuous, probability))),
    }
}

/// A uniform, triangular or slip distribution's value at cumulative probability `unit`
/// (a log-normal's median: it is drawn from its normal score instead).
pub(super) fn value_at_unit(distribution: &Distribution, unit: f64) -> InputDraw {
    match distribution {
        Distribution::YearSlip(outcomes) => InputDraw::SlipYears(slip_at(outcomes, unit)),
        continuous => InputDraw::Multiplier(inverse_cdf(continuous, unit)),
    }
}

/// The uniform or triangular multiplier at cumulative probability `unit`.
fn inverse_cdf(distribution: &Distribution, unit: f64) -> f64 {
    match *distribution {
        Distribution::Uniform { low, high } => low + unit * (high - low),
        Distribution::Triangular { low, mode, high } => {
            let width = high - low;
            if width <= 0.0 {
                return low;
            }
            let below_mode = (mode - low) / width;
            if unit < below_mode {
                low + (unit * width * (mode - low)).sqrt()
            } else {
                high - ((1.0 - unit) * width * (high - mode)).sqrt()
            }
        }
        Distribution::LogNormal { median, .. } => median,
        Distribution::YearSlip(_) => 1.0,
    }
}

/// The slip whose cumulative probability first exceeds `unit`, in the listed order.
fn slip_at(outcomes: &[YearSlip], unit: f64) -> i32 {
    let mut cumulative = 0.0;
    for outcome in outcomes {
        cumulative += outcome.probability;
        if unit < cumulative {
            return outcome.years;
        }
    }
    outcomes.last().map_or(0, |outcome| outcome.years)
}
