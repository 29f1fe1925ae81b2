//! Default ranges: a range for every number the data marks as a guess, by a few stated
//! rules whose numbers and sources live in the data (`assets/data/uncertainty_rules.csv`,
//! documented in `assets/data/README.md`), not in this code.
//!
//! How the data's ESTIMATE flags reach a scenario, and so which items a rule selects:
//!
//! * **Start years** (`status=…`): a node's status (construction, planned, pilot,
//!   exploration) with a start year after the base year: an announced project.
//! * **Capacities** (`estimate_flag=capacity`): the derivation writes each node's
//!   `nodes.csv` `estimate` column into its notes as `Estimate: …`. The flag covers the
//!   capacity when it is a plain `yes` or names `capacity` or `values`; a flag about the
//!   group split or the REO conversion alone leaves the capacity as published.
//! * **Demand, expansion options** (`estimate_flag`): the word ESTIMATE in an item's notes
//!   or source (every demand curve and most expansion options carry it).
//! * **Policies** (`kind=…`): every switched-on policy of that kind (a licence regime's
//!   or quota's severity is a guess by nature; tariffs are statutory and get no rule).
//!
//! A scenario's own ranges always win: [`missing_default_ranges`] only adds ranges on
//! targets no input varies yet (what "Add default ranges" and `--default-ranges` do).

use crate::model::{
    Distribution, NodeStatus, PolicyKind, Scenario, TARGET_KINDS, UncertainInput, UncertainTarget,
};

/// The rules, as shipped.
pub const RULES_CSV: &str = include_str!("../../assets/data/uncertainty_rules.csv");
/// Where the rules live in the repository, for sources and messages.
pub const RULES_FILE: &str = "assets/data/uncertainty_rules.csv";

/// Which items of a target kind a rule gives a range.
#[derive(Clone, Debug, PartialEq)]
pub enum Selector {
    /// Nodes of one of these statuses whose start year is after the base year.
    Status(Vec<NodeStatus>),
    /// Nodes whose estimate flag covers their capacity.
    CapacityEstimate,
    /// Items whose notes or source say ESTIMATE.
    EstimateFlag,
    /// Switched-on policies that are export quotas.
    ExportQuotas,
    /// Switched-on policies that are production quotas.
    ProductionQuotas,
}

/// One row of the rules file.
#[derive(Clone, Debug, PartialEq)]
pub struct DefaultRule {
    pub rule: String,
    /// One of [`TARGET_KINDS`].
    pub target_kind: String,
    pub selector: Selector,
    pub distribution: Distribution,
    pub source: String,
    pub notes: String,
}

/// The shipped rules (tested to parse).
pub fn default_rules() -> Vec<DefaultRule> {
    parse_rules(RULES_CSV).expect("the shipped uncertainty_rules.csv parses (tested)")
}

/// Reads a rules file: `rule,target,applies_to,distribution,params,source,notes`.
pub fn parse_rules(text: &str) -> Result<Vec<DefaultRule>, String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut rules = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = index + 2;
        let record = record.map_err(|e| format!("{RULES_FILE} line {line}: {e}"))?;
        let field = |i: usize| record.get(i).unwrap_or("").trim().to_owned();
        let at = |message: String| format!("{RULES_FILE} line {line} ({}): {message}", field(0));
        let target_kind = field(1);
        if !TARGET_KINDS.contains(&target_kind.as_str()) {
            return Err(at(format!("unknown target \"{target_kind}\"")));
        }
        let selector = parse_selector(&target_kind, &field(2)).map_err(at)?;
        let distribution = Distribution::parse(&field(3), &field(4)).map_err(at)?;
        if field(5).is_empty() {
            return Err(at("no source".to_owned()));
        }
        rules.push(DefaultRule {
            rule: field(0),
            target_kind,
            selector,
            distribution,
            source: field(5),
            notes: field(6),
        });
    }
    Ok(rules)
}

/// The selector of `applies_to`, checked against the target kind it selects for.
fn parse_selector(target_kind: &str, text: &str) -> Result<Selector, String> {
    let selector = if let Some(statuses) = text.strip_prefix("status=") {
        let statuses = statuses
            .split('|')
            .map(|status| match status.trim() {
                "operating" => Ok(NodeStatus::Operating),
                "construction" => Ok(NodeStatus::Construction),
                "planned" => Ok(NodeStatus::Planned),
                "pilot" => Ok(NodeStatus::Pilot),
                "exploration" => Ok(NodeStatus::Exploration),
                other => Err(format!("unknown node status \"{other}\"")),
            })
            .collect::<Result<Vec<_>, _>>()?;
        Selector::Status(statuses)
    } else {
        match text {
            "estimate_flag=capacity" => Selector::CapacityEstimate,
            "estimate_flag" => Selector::EstimateFlag,
            "kind=export_quota" => Selector::ExportQuotas,
            "kind=production_quota" => Selector::ProductionQuotas,
            other => return Err(format!("unknown applies_to \"{other}\"")),
        }
    };
    let fits = match &selector {
        Selector::Status(_) => target_kind == "node_start_year",
        Selector::CapacityEstimate => target_kind == "node_capacity",
        Selector::EstimateFlag => matches!(
            target_kind,
            "demand_elasticity"
                | "demand_growth"
                | "expansion_capital_cost"
                | "expansion_lead_time"
        ),
        Selector::ExportQuotas | Selector::ProductionQuotas => target_kind == "policy_severity",
    };
    if fits {
        Ok(selector)
    } else {
        Err(format!(
            "applies_to \"{text}\" cannot select for {target_kind}"
        ))
    }
}

/// Every default range the rules give `scenario`, whether or not it has ranges already:
/// rules in file order, items in the scenario's order.
pub fn default_ranges(scenario: &Scenario) -> Vec<UncertainInput> {
    let mut inputs: Vec<UncertainInput> = Vec::new();
    for rule in default_rules() {
        for (item, label) in selected_items(scenario, &rule) {
            let Some(target) = UncertainTarget::from_kind(&rule.target_kind, &item) else {
                continue;
            };
            if inputs.iter().any(|input| input.target == target) {
                continue; // an earlier rule gave this target its range
            }
            inputs.push(UncertainInput {
                id: format!("{item}.{}", id_suffix(&target)),
                label: format!("{label}: {}", label_suffix(&target)),
                target,
                distribution: rule.distribution.clone(),
                source: format!(
                    "{} (default rule {} of {RULES_FILE})",
                    rule.source, rule.rule
                ),
                notes: rule.notes.clone(),
            });
        }
    }
    inputs
}

/// The default ranges on targets that no input of `scenario` varies yet (and whose ids are
/// free): what to put with `Edit::PutUncertainInput` for "Add default ranges".
pub fn missing_default_ranges(scenario: &Scenario) -> Vec<UncertainInput> {
    default_ranges(scenario)
        .into_iter()
        .filter(|default| {
            !scenario
                .uncertainty
                .iter()
                .any(|own| own.target == default.target || own.id == default.id)
        })
        .collect()
}

/// `scenario` with its own ranges followed by the missing defaults.
pub fn with_default_ranges(scenario: &Scenario) -> Scenario {
    let mut with_defaults = scenario.clone();
    with_defaults
        .uncertainty
        .extend(missing_default_ranges(scenario));
    with_defaults
}

/// The ids and display names of the items `rule` selects in `scenario`.
fn selected_items(scenario: &Scenario, rule: &DefaultRule) -> Vec<(String, String)> {
    let base_year = scenario.meta.base_year;
    let named = |id: &str, name: &str| (id.to_owned(), name.to_owned());
    match (&rule.selector, rule.target_kind.as_str()) {
        (Selector::Status(statuses), _) => scenario
            .nodes
            .iter()
            .filter(|node| statuses.contains(&node.status))
            .filter(|node| node.start_year.is_some_and(|year| year > base_year))
            .map(|node| named(&node.id, &node.name))
            .collect(),
        (Selector::CapacityEstimate, _) => scenario
            .nodes
            .iter()
            .filter(|node| node.capacity_t_per_yr > 0.0 && capacity_is_estimated(&node.notes))
            .map(|node| named(&node.id, &node.name))
            .collect(),
        (Selector::EstimateFlag, "demand_elasticity" | "demand_growth") => scenario
            .commodities
            .iter()
            .filter(|commodity| {
                scenario.demand.iter().any(|demand| {
                    demand.commodity == commodity.id
                        && (says_estimate(&demand.notes) || says_estimate(&demand.source))
                })
            })
            .map(|commodity| named(&commodity.id, &commodity.name))
            .collect(),
        (Selector::EstimateFlag, _) => scenario
            .expansion
            .iter()
            .filter(|option| option.enabled)
            .filter(|option| says_estimate(&option.notes) || says_estimate(&option.source))
            .map(|option| named(&option.id, &option.label))
            .collect(),
        (Selector::ExportQuotas | Selector::ProductionQuotas, _) => scenario
            .policies
            .iter()
            .filter(|policy| policy.enabled)
            .filter(|policy| {
                matches!(
                    (&rule.selector, &policy.kind),
                    (Selector::ExportQuotas, PolicyKind::ExportQuota { .. })
                        | (
                            Selector::ProductionQuotas,
                            PolicyKind::ProductionQuota { .. }
                        )
                )
            })
            .map(|policy| named(&policy.id, &policy.label))
            .collect(),
    }
}

fn says_estimate(text: &str) -> bool {
    text.contains("ESTIMATE")
}

/// Whether a node's `Estimate: …` note covers its capacity: a plain `yes`, or a flag that
/// names `capacity` or `values` (pieces are joined by " | " across a facility's rows and
/// by ";" within one).
pub fn capacity_is_estimated(notes: &str) -> bool {
    let Some((_, flag)) = notes.split_once("Estimate: ") else {
        return false;
    };
    let flag = flag.split(". ").next().unwrap_or("");
    flag.split(" | ")
        .flat_map(|piece| piece.split(';'))
        .map(str::trim)
        .any(|piece| matches!(piece, "yes" | "capacity" | "values"))
}

fn id_suffix(target: &UncertainTarget) -> &'static str {
    match target {
        UncertainTarget::NodeCapacity { .. } => "capacity",
        UncertainTarget::NodeStartYear { .. } => "start_year",
        UncertainTarget::DemandElasticity { .. } => "elasticity",
        UncertainTarget::DemandGrowth { .. } => "growth",
        UncertainTarget::PolicySeverity { .. } => "severity",
        UncertainTarget::ExpansionCapitalCost { .. } => "capital_cost",
        UncertainTarget::ExpansionLeadTime { .. } => "lead_time",
    }
}

fn label_suffix(target: &UncertainTarget) -> &'static str {
    match target {
        UncertainTarget::NodeCapacity { .. } => "capacity",
        UncertainTarget::NodeStartYear { .. } => "start year",
        UncertainTarget::DemandElasticity { .. } => "demand elasticity",
        UncertainTarget::DemandGrowth { .. } => "demand growth",
        UncertainTarget::PolicySeverity { .. } => "severity",
        UncertainTarget::ExpansionCapitalCost { .. } => "capital cost",
        UncertainTarget::ExpansionLeadTime { .. } => "lead time",
    }
}
