//! The backtest: the model against what was observed in two episodes, each observation
//! with its source, each scored by one fixed rule.
//!
//! | episode | scenario | what it starts from |
//! |---|---|---|
//! | A: China's export-quota cuts, 2010-2014 | `scenarios/backtest-china-quotas-2010.ron` | the 2010 world (2010 output, 2009 average prices) with the quotas as set |
//! | B: China's licensing of seven heavy rare earths, April 2025 | `scenarios/china-heavy-ree-licensing-2025.ron` | the 2024 baseline with licensing from 2025 |
//!
//! The observations are `assets/data/backtest/observations.csv` (documented, row by row,
//! in `assets/data/backtest/README.md`), built into the binary so that `rareflow backtest`
//! runs anywhere. For each one `counterparts` reads the model's value of the same thing
//! from the episode's [`Solution`]: a price ratio against the base, China's exports against
//! its quota, a change in consumption, a share of mine output, a first year of output.
//!
//! # The verdict rule (fixed; the same for every row)
//!
//! * **Levels and ratios** (prices over a base, exports over a quota, tonnes, shares):
//!   the model's value over the observed one, `r`. Within a factor of
//!   [`HIT_FACTOR`] either way (`1/1.5 ≤ r ≤ 1.5`) is a **hit**, within [`NEAR_FACTOR`] a
//!   **near** miss, anything else (or a model value of zero) a **miss**.
//! * **Changes** (consumption, exports, output from one year to another, as fractions):
//!   the sign must agree, and then the size is judged as a level: within a factor of 1.5 a
//!   hit, of 3 near, else a miss. A change of the wrong sign, or none, is a miss.
//! * **Years** (when a plant first produced): the same year is a hit, one year off near,
//!   more a miss.
//!
//! Misses count as much as hits: the summary gives all three, and rows whose observation
//! also shaped the scenario (an episode's early outcome used to size its policy) are
//! marked *in-sample* instead of being left out.
//!
//! # Independence
//!
//! The model's parameters are the baseline's `assumptions.csv`, from 2024 data and
//! published literature; no observed outcome of either episode may set one (a test reads
//! the parameters' sources and refuses any that cite an observation of this table). The
//! 2010 world is made of 2009/2010 facts and of announcements, never of 2011+ outcomes.

mod counterparts;
mod observations;
mod report;

use serde::Serialize;

pub use observations::{Observation, Quantity, SourceRef, parse_observations};
pub use report::{
    comparison_text, model_text, rule_text, short_source, to_csv, to_json, to_text, value_text,
};

use crate::io::LoadError;
use crate::model::Scenario;
use crate::solver::{Solution, SolveError, SolverSettings, Years, solve_scenario};

/// Why the backtest could not be run, as variants callers and tests can match on.
#[derive(Debug, thiserror::Error)]
pub enum BacktestError {
    /// A row of the shipped observations is malformed or names no source.
    #[error("observations.csv line {line}: {message}")]
    Observations { line: usize, message: String },
    /// An episode's scenario does not load.
    #[error(transparent)]
    Load(#[from] LoadError),
    /// An episode's scenario does not solve.
    #[error("{file}: {source}")]
    Solve {
        file: &'static str,
        #[source]
        source: SolveError,
    },
    /// An observation belongs to an episode that was not solved.
    #[error("observation {observation}: no scenario for episode {episode}")]
    NoEpisode {
        observation: String,
        episode: String,
    },
    /// The model's counterpart of an observation cannot be read from the solution (the
    /// scenario lacks the node, market or year it refers to).
    #[error("observation {observation}: {message}")]
    Counterpart {
        observation: String,
        message: String,
    },
}

/// The observations, as shipped.
pub const OBSERVATIONS_CSV: &str = include_str!("../assets/data/backtest/observations.csv");

/// Model over observed within this factor either way: a hit.
pub const HIT_FACTOR: f64 = 1.5;
/// Model over observed within this factor either way: near (beyond it, a miss).
pub const NEAR_FACTOR: f64 = 3.0;

/// An episode and the scenario that replays it.
#[derive(Clone, Copy, Debug)]
pub struct Episode {
    /// The `episode` column of the observations.
    pub id: &'static str,
    /// "A", "B": how the table labels its rows.
    pub letter: &'static str,
    pub name: &'static str,
    pub scenario_file: &'static str,
    scenario_ron: &'static str,
    /// What its prices are read against.
    pub base: &'static str,
}

impl Episode {
    /// The episode's scenario, as shipped.
    pub fn scenario(&self) -> Result<Scenario, LoadError> {
        crate::io::load_str(self.scenario_file, self.scenario_ron)
    }
}

/// The two episodes, in the order the table shows them.
pub const EPISODES: [Episode; 2] = [
    Episode {
        id: "A_2010_export_quota_cuts",
        letter: "A",
        name: "China's export-quota cuts, 2010-2014",
        scenario_file: "scenarios/backtest-china-quotas-2010.ron",
        scenario_ron: include_str!("../scenarios/backtest-china-quotas-2010.ron"),
        base: "prices over the 2009 averages the 2010 world is calibrated on",
    },
    Episode {
        id: "B_2025_HREE_licensing",
        letter: "B",
        name: "China's licensing of seven heavy rare earths, April 2025",
        scenario_file: "scenarios/china-heavy-ree-licensing-2025.ron",
        scenario_ron: include_str!("../scenarios/china-heavy-ree-licensing-2025.ron"),
        base: "prices over the model's 2024 (the baseline's calibration year)",
    },
];

/// How a row's model value is judged against the observed one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum Rule {
    /// Levels and ratios: model over observed.
    Factor,
    /// Fractional changes: same sign, then model over observed.
    Change,
    /// Years: model minus observed.
    Years,
}

/// The outcome of one comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Verdict {
    Hit,
    Near,
    Miss,
}

impl Verdict {
    pub fn word(self) -> &'static str {
        match self {
            Verdict::Hit => "HIT",
            Verdict::Near => "NEAR",
            Verdict::Miss => "MISS",
        }
    }
}

/// Judges a model value against an observed one by `rule`. Returns the comparison shown
/// (model over observed for [`Rule::Factor`] and [`Rule::Change`], model minus observed
/// for [`Rule::Years`]; `None` where the model has no value) and the verdict.
pub fn judge(rule: Rule, observed: f64, model: Option<f64>) -> (Option<f64>, Verdict) {
    let Some(model) = model.filter(|m| m.is_finite()) else {
        return (None, Verdict::Miss);
    };
    let by_factor = |ratio: f64| {
        if !(ratio.is_finite() && ratio > 0.0) {
            Verdict::Miss
        } else if ratio.max(1.0 / ratio) <= HIT_FACTOR {
            Verdict::Hit
        } else if ratio.max(1.0 / ratio) <= NEAR_FACTOR {
            Verdict::Near
        } else {
            Verdict::Miss
        }
    };
    match rule {
        Rule::Factor | Rule::Change => {
            if observed == 0.0 {
                return (None, Verdict::Miss);
            }
            let ratio = model / observed;
            // For a change, a negative ratio is a wrong sign and zero no change: misses.
            (Some(ratio), by_factor(ratio))
        }
        Rule::Years => {
            let difference = model - observed;
            let verdict = match difference.abs().round() as i64 {
                0 => Verdict::Hit,
                1 => Verdict::Near,
                _ => Verdict::Miss,
            };
            (Some(difference), verdict)
        }
    }
}

/// One row of the table: an observation, the model's counterpart and the verdict.
#[derive(Clone, Debug, Serialize)]
pub struct Row {
    pub observation: Observation,
    /// "A" or "B".
    pub episode_letter: &'static str,
    pub rule: Rule,
    /// The model's value of the same quantity (`None` where the model has none).
    pub model: Option<f64>,
    /// What the model's value is, in words.
    pub model_meaning: String,
    /// Model over observed ([`Rule::Factor`], [`Rule::Change`]) or model minus observed
    /// ([`Rule::Years`]).
    pub comparison: Option<f64>,
    pub verdict: Verdict,
}

/// A model price path of an episode, with the observed points on the same footing.
#[derive(Clone, Debug, Serialize)]
pub struct PricePath {
    /// The model region the path is of: `EXCHN` (outside China) or a region id.
    pub region: String,
    pub commodity: String,
    /// "Dy/Tb oxide outside China".
    pub label: String,
    /// (year, price over the base) for every year solved.
    pub model: Vec<(i32, f64)>,
    /// (year, observed price over the base, observation id).
    pub observed: Vec<(i32, f64, String)>,
}

/// One episode's run.
#[derive(Clone, Debug, Serialize)]
pub struct EpisodeRun {
    pub id: &'static str,
    pub letter: &'static str,
    pub name: &'static str,
    pub scenario_file: &'static str,
    pub scenario_name: String,
    pub base: &'static str,
    pub solve_ms: f64,
    pub paths: Vec<PricePath>,
}

/// Hits, near misses and misses.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub hits: usize,
    pub near: usize,
    pub misses: usize,
}

impl Tally {
    pub fn of<'a>(rows: impl IntoIterator<Item = &'a Row>) -> Self {
        let mut tally = Tally::default();
        for row in rows {
            match row.verdict {
                Verdict::Hit => tally.hits += 1,
                Verdict::Near => tally.near += 1,
                Verdict::Miss => tally.misses += 1,
            }
        }
        tally
    }

    pub fn total(&self) -> usize {
        self.hits + self.near + self.misses
    }
}

/// The whole backtest: every observation against the model.
#[derive(Clone, Debug, Serialize)]
pub struct Backtest {
    pub episodes: Vec<EpisodeRun>,
    pub rows: Vec<Row>,
}

impl Backtest {
    pub fn rows_of<'a>(&'a self, letter: &'a str) -> impl Iterator<Item = &'a Row> + 'a {
        self.rows
            .iter()
            .filter(move |row| row.episode_letter == letter)
    }
}

/// Solves both episodes and compares every shipped observation with the model.
pub fn run(settings: &SolverSettings) -> Result<Backtest, BacktestError> {
    let observations = parse_observations(OBSERVATIONS_CSV)?;
    let mut solved = Vec::new();
    for episode in &EPISODES {
        let scenario = episode.scenario()?;
        let solution = solve_scenario(&scenario, Years::All, settings).map_err(|source| {
            BacktestError::Solve {
                file: episode.scenario_file,
                source,
            }
        })?;
        solved.push((*episode, scenario, solution));
    }
    compare(&observations, &solved)
}

/// Compares observations with solved episodes (each episode with its scenario and
/// solution). Fails on an observation of an episode not given.
pub fn compare(
    observations: &[Observation],
    solved: &[(Episode, Scenario, Solution)],
) -> Result<Backtest, BacktestError> {
    let mut rows = Vec::with_capacity(observations.len());
    for observation in observations {
        let (episode, scenario, solution) = solved
            .iter()
            .find(|(episode, ..)| episode.id == observation.episode)
            .ok_or_else(|| BacktestError::NoEpisode {
                observation: observation.id.clone(),
                episode: observation.episode.clone(),
            })?;
        let model =
            counterparts::model_value(observation, scenario, solution).map_err(|message| {
                BacktestError::Counterpart {
                    observation: observation.id.clone(),
                    message,
                }
            })?;
        let rule = observation.quantity.rule();
        let (comparison, verdict) = judge(rule, observation.value, model.value);
        rows.push(Row {
            observation: observation.clone(),
            episode_letter: episode.letter,
            rule,
            model: model.value,
            model_meaning: model.meaning,
            comparison,
            verdict,
        });
    }
    let episodes = solved
        .iter()
        .map(|(episode, scenario, solution)| EpisodeRun {
            id: episode.id,
            letter: episode.letter,
            name: episode.name,
            scenario_file: episode.scenario_file,
            scenario_name: scenario.meta.name.clone(),
            base: episode.base,
            solve_ms: solution.total_solve_ms,
            paths: counterparts::price_paths(episode, observations, scenario, solution),
        })
        .collect();
    Ok(Backtest { episodes, rows })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_rule_scores_factors_changes_and_years() {
        assert_eq!(judge(Rule::Factor, 10.0, Some(14.0)).1, Verdict::Hit);
        assert_eq!(judge(Rule::Factor, 10.0, Some(6.8)).1, Verdict::Hit);
        assert_eq!(judge(Rule::Factor, 10.0, Some(6.5)).1, Verdict::Near);
        assert_eq!(judge(Rule::Factor, 10.0, Some(30.0)).1, Verdict::Near);
        assert_eq!(judge(Rule::Factor, 10.0, Some(3.2)).1, Verdict::Miss);
        assert_eq!(judge(Rule::Factor, 10.0, Some(0.0)).1, Verdict::Miss);
        assert_eq!(judge(Rule::Factor, 10.0, None), (None, Verdict::Miss));
        assert_eq!(judge(Rule::Change, -0.17, Some(-0.2)).1, Verdict::Hit);
        assert_eq!(judge(Rule::Change, -0.17, Some(-0.06)).1, Verdict::Near);
        assert_eq!(judge(Rule::Change, -0.17, Some(0.05)).1, Verdict::Miss);
        assert_eq!(judge(Rule::Change, -0.17, Some(0.0)).1, Verdict::Miss);
        assert_eq!(judge(Rule::Years, 2012.0, Some(2012.0)).1, Verdict::Hit);
        assert_eq!(
            judge(Rule::Years, 2012.0, Some(2011.0)),
            (Some(-1.0), Verdict::Near)
        );
        assert_eq!(judge(Rule::Years, 2012.0, Some(2010.0)).1, Verdict::Miss);
    }
}
