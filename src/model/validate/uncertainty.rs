//! Validation of uncertain inputs: each names an existing item of a kind its target can
//! vary, and its distribution is a proper one of positive multipliers (or of year slips
//! whose probabilities sum to 1).

use super::{Checker, Known, Range};
use crate::model::uncertainty::{PROBABILITY_TOLERANCE, cholesky, correlation_matrix};
use crate::model::{Distribution, PolicyKind, UncertainInput, UncertainTarget};

impl Checker<'_> {
    pub(super) fn uncertain_inputs(&mut self) {
        let scenario = self.scenario;
        for input in &scenario.uncertainty {
            let item = format!("uncertain input \"{}\"", input.id);
            self.name(&item, "id", &input.id);
            self.name(&item, "label", &input.label);
            self.name(&item, "source", &input.source);
            self.uncertain_target(&item, input);
            self.distribution(&item, input);
        }
        self.duplicates(
            "uncertain input",
            scenario.uncertainty.iter().map(|input| input.id.as_str()),
        );
        self.correlations();
    }

    /// Each correlation joins two different inputs of the scenario once, in [-1, 1], and
    /// all of them together are possible (a positive definite matrix).
    fn correlations(&mut self) {
        let scenario = self.scenario;
        let known = |id: &str| scenario.uncertainty.iter().any(|input| input.id == id);
        let mut pairs: Vec<(&str, &str)> = Vec::new();
        for pair in &scenario.correlations {
            let item = format!("correlation of \"{}\" and \"{}\"", pair.first, pair.second);
            for (field, id) in [("first", &pair.first), ("second", &pair.second)] {
                if !known(id) {
                    self.report(&item, field, format!("unknown uncertain input \"{id}\""));
                }
            }
            if pair.first == pair.second {
                self.report(&item, "second", "an input is correlated with itself");
            }
            self.number(
                &item,
                "rank_correlation",
                pair.rank_correlation,
                Range::Between(-1.0, 1.0),
            );
            self.name(&item, "source", &pair.source);
            let key = if pair.first <= pair.second {
                (pair.first.as_str(), pair.second.as_str())
            } else {
                (pair.second.as_str(), pair.first.as_str())
            };
            if pairs.contains(&key) {
                self.report(&item, "first", "the pair is correlated twice");
            }
            pairs.push(key);
        }
        let (ids, matrix) = correlation_matrix(&scenario.uncertainty, &scenario.correlations);
        if !ids.is_empty() && cholesky(&matrix).is_none() {
            self.report(
                "correlations",
                "rank_correlation",
                format!(
                    "the correlations between {} cannot all hold at once (the matrix is not \
                     positive definite): weaken one",
                    ids.join(", ")
                ),
            );
        }
    }

    fn uncertain_target(&mut self, item: &str, input: &UncertainInput) {
        let scenario = self.scenario;
        match &input.target {
            UncertainTarget::NodeCapacity { node } => {
                self.reference(item, "target.node", node, Known::Node);
            }
            UncertainTarget::NodeStartYear { node } => {
                self.reference(item, "target.node", node, Known::Node);
                if scenario.node(node).is_some_and(|n| n.start_year.is_none()) {
                    self.report(
                        item,
                        "target.node",
                        format!("node \"{node}\" has no start year to slip"),
                    );
                }
            }
            UncertainTarget::DemandElasticity { commodity }
            | UncertainTarget::DemandGrowth { commodity } => {
                self.reference(item, "target.commodity", commodity, Known::Commodity);
            }
            UncertainTarget::PolicySeverity { policy } => match scenario.policy(policy) {
                None => self.report(
                    item,
                    "target.policy",
                    format!("unknown policy \"{policy}\""),
                ),
                Some(found) => {
                    let has_severity = matches!(
                        found.kind,
                        PolicyKind::ExportQuota { .. }
                            | PolicyKind::ImportTariff { .. }
                            | PolicyKind::ProductionQuota { .. }
                    );
                    if !has_severity {
                        self.report(
                            item,
                            "target.policy",
                            format!(
                                "policy \"{policy}\" is a {}; only quotas and tariffs have a \
                                 severity to vary",
                                found.kind.kind_label()
                            ),
                        );
                    }
                }
            },
            UncertainTarget::ExpansionCapitalCost { option }
            | UncertainTarget::ExpansionLeadTime { option } => {
                if !scenario.expansion.iter().any(|o| o.id == *option) {
                    self.report(
                        item,
                        "target.option",
                        format!("unknown expansion option \"{option}\""),
                    );
                }
            }
        }
    }

    fn distribution(&mut self, item: &str, input: &UncertainInput) {
        let slip_target = input.target.is_year_slip();
        match &input.distribution {
            Distribution::YearSlip(outcomes) => {
                if !slip_target {
                    self.report(
                        item,
                        "distribution",
                        "a year slip varies only a start year; this target takes a multiplier",
                    );
                }
                self.year_slips(item, outcomes);
            }
            _ if slip_target => self.report(
                item,
                "distribution",
                "a start year slips by whole years: use YearSlip",
            ),
            Distribution::Uniform { low, high } => {
                self.number(item, "distribution.low", *low, Range::Positive);
                self.number(item, "distribution.high", *high, Range::Positive);
                self.ordered(item, &[("low", *low), ("high", *high)]);
            }
            Distribution::Triangular { low, mode, high } => {
                self.number(item, "distribution.low", *low, Range::Positive);
                self.number(item, "distribution.mode", *mode, Range::Positive);
                self.number(item, "distribution.high", *high, Range::Positive);
                self.ordered(item, &[("low", *low), ("mode", *mode), ("high", *high)]);
            }
            Distribution::LogNormal { median, sigma } => {
                self.number(item, "distribution.median", *median, Range::Positive);
                self.number(item, "distribution.sigma", *sigma, Range::Between(0.0, 3.0));
            }
        }
    }

    fn year_slips(&mut self, item: &str, outcomes: &[crate::model::YearSlip]) {
        if outcomes.is_empty() {
            self.report(item, "distribution", "lists no slip");
            return;
        }
        for outcome in outcomes {
            self.number(
                item,
                "distribution.probability",
                outcome.probability,
                Range::Fraction,
            );
        }
        let total: f64 = outcomes.iter().map(|o| o.probability).sum();
        if total.is_finite() && (total - 1.0).abs() > PROBABILITY_TOLERANCE {
            self.report(
                item,
                "distribution",
                format!("the probabilities sum to {total}, not 1"),
            );
        }
    }

    /// Bounds that must not decrease from left to right (low ≤ mode ≤ high).
    fn ordered(&mut self, item: &str, bounds: &[(&str, f64)]) {
        for pair in bounds.windows(2) {
            let ((left_name, left), (right_name, right)) = (pair[0], pair[1]);
            if left > right {
                self.report(
                    item,
                    "distribution",
                    format!("{left_name} ({left}) is above {right_name} ({right})"),
                );
            }
        }
    }
}
