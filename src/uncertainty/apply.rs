//! A draw applied to a scenario: multipliers on its values, slips on its start years.

use super::sampler::{Draw, InputDraw};
use crate::model::{PolicyKind, Process, QuotaLimit, Scenario, TariffRate, UncertainTarget};

/// The scenario of one run: `base` with every input of the draw applied.
///
/// A capacity multiplier scales a refinery's circuits too; an elasticity multiplier
/// scales the long-run elasticity alike (it stays at least the short-run one); a licence
/// share is capped at 1; a lead time is rounded to whole years. A start year slips with
/// the node's later circuits and phases, and is held at the horizon's last year when the
/// slip would take it past the horizon (the project then starts in the last year).
pub fn scenario_for_draw(base: &Scenario, draw: &Draw) -> Scenario {
    let mut scenario = base.clone();
    for (input, value) in base.uncertainty.iter().zip(&draw.values) {
        match *value {
            InputDraw::Multiplier(factor) => multiply(&mut scenario, &input.target, factor),
            InputDraw::SlipYears(years) => slip(&mut scenario, &input.target, years),
        }
    }
    scenario
}

fn multiply(scenario: &mut Scenario, target: &UncertainTarget, factor: f64) {
    match target {
        UncertainTarget::NodeCapacity { node } => {
            for found in scenario.nodes.iter_mut().filter(|n| n.id == *node) {
                found.capacity_t_per_yr *= factor;
                if let Process::Refinery { circuits, .. } = &mut found.process {
                    for circuit in circuits {
                        circuit.capacity_t_per_yr *= factor;
                    }
                }
            }
        }
        UncertainTarget::NodeStartYear { .. } => {}
        UncertainTarget::DemandElasticity { commodity } => {
            for demand in scenario
                .demand
                .iter_mut()
                .filter(|d| d.commodity == *commodity)
            {
                demand.elasticity *= factor;
                if let Some(long_run) = &mut demand.long_run {
                    long_run.elasticity *= factor;
                }
            }
        }
        UncertainTarget::DemandGrowth { commodity } => {
            for demand in scenario
                .demand
                .iter_mut()
                .filter(|d| d.commodity == *commodity)
            {
                demand.growth_per_yr *= factor;
            }
        }
        UncertainTarget::PolicySeverity { policy } => {
            for found in scenario.policies.iter_mut().filter(|p| p.id == *policy) {
                scale_severity(&mut found.kind, factor);
            }
        }
        UncertainTarget::ExpansionCapitalCost { option } => {
            for found in scenario.expansion.iter_mut().filter(|o| o.id == *option) {
                found.capital_cost_usd_per_t_per_yr *= factor;
            }
        }
        UncertainTarget::ExpansionLeadTime { option } => {
            for found in scenario.expansion.iter_mut().filter(|o| o.id == *option) {
                let years = (f64::from(found.lead_years) * factor).round().max(0.0);
                // A lead time of billions of years is no lead time anyone means.
                found.lead_years = years.min(1000.0) as u32;
            }
        }
    }
}

fn scale_severity(kind: &mut PolicyKind, factor: f64) {
    match kind {
        PolicyKind::ExportQuota { limit, .. } => match limit {
            QuotaLimit::Tonnes(tonnes) => *tonnes *= factor,
            QuotaLimit::ShareOfOutput(share) => *share = (*share * factor).min(1.0),
        },
        PolicyKind::ImportTariff { rate, .. } => {
            let (TariffRate::UsdPerKg(value) | TariffRate::AdValorem(value)) = rate;
            *value *= factor;
        }
        PolicyKind::ProductionQuota { max_t_per_yr, .. } => *max_t_per_yr *= factor,
        _ => {}
    }
}

fn slip(scenario: &mut Scenario, target: &UncertainTarget, years: i32) {
    let UncertainTarget::NodeStartYear { node } = target else {
        return;
    };
    let last_year = scenario.meta.last_year;
    let slipped = |year: i32| (year + years).min(last_year);
    for found in scenario.nodes.iter_mut().filter(|n| n.id == *node) {
        found.start_year = found.start_year.map(slipped);
        for expansion in &mut found.expansions {
            expansion.year = slipped(expansion.year);
        }
        if let Process::Refinery { circuits, .. } = &mut found.process {
            for circuit in circuits {
                circuit.start_year = circuit.start_year.map(slipped);
            }
        }
    }
}
