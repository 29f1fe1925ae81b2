//! Capacity over the years: start years, linear ramps, later phases and capacity policies.

use super::{CapacityChangeKind, Circuit, Node, PolicyKind, Process, Scenario};

/// Fraction of nameplate available in `year` for something that starts in `start_year` and
/// ramps linearly over `ramp_years`: in the start year `1/ramp_years`, full from
/// `start_year + ramp_years - 1` on.
pub fn ramp_fraction(start_year: Option<i32>, ramp_years: u32, year: i32) -> f64 {
    let Some(start) = start_year else {
        return 1.0;
    };
    if year < start {
        return 0.0;
    }
    if ramp_years <= 1 {
        return 1.0;
    }
    // In f64: a start year far in the past (down to `i32::MIN`) would overflow `i32`.
    let years_running = f64::from(year) - f64::from(start) + 1.0;
    (years_running / f64::from(ramp_years)).min(1.0)
}

impl Node {
    /// Capacity in `year` from the node's own data (start year, ramp, expansions), before
    /// any policy. Units as [`Node::capacity_t_per_yr`].
    pub fn built_capacity_in(&self, year: i32) -> f64 {
        if let Process::Refinery { circuits, .. } = &self.process {
            return circuits
                .iter()
                .map(|circuit| circuit.capacity_t_per_yr * self.circuit_ramp(circuit, year))
                .sum();
        }
        let base = self.capacity_t_per_yr * ramp_fraction(self.start_year, self.ramp_years, year);
        let added: f64 = self
            .expansions
            .iter()
            .map(|phase| {
                phase.added_t_per_yr * ramp_fraction(Some(phase.year), phase.ramp_years, year)
            })
            .sum();
        base + added
    }

    /// Fraction of a circuit's capacity available in `year`: it ramps from its own start
    /// year if it has one, else with the node.
    fn circuit_ramp(&self, circuit: &Circuit, year: i32) -> f64 {
        match circuit.start_year {
            Some(start) => {
                ramp_fraction(self.start_year, 0, year)
                    * ramp_fraction(Some(start), circuit.ramp_years, year)
            }
            None => ramp_fraction(self.start_year, self.ramp_years, year),
        }
    }

    /// Output capacity of a refinery for one oxide in `year`: its circuits for that oxide,
    /// by their start years and ramps, times `node_scale` (the capacity policies' factor,
    /// see [`Scenario::capacity_scale_in`]). Zero for other kinds of node.
    pub fn circuit_capacity_in(&self, commodity: &str, year: i32, node_scale: f64) -> f64 {
        let Process::Refinery { circuits, .. } = &self.process else {
            return 0.0;
        };
        circuits
            .iter()
            .filter(|circuit| circuit.commodity == commodity)
            .map(|circuit| circuit.capacity_t_per_yr * self.circuit_ramp(circuit, year))
            .sum::<f64>()
            * node_scale
    }
}

impl Scenario {
    /// A node's capacity in `year` with the switched-on capacity policies applied, in the
    /// order they are listed. Never negative.
    pub fn capacity_in(&self, node: &Node, year: i32) -> f64 {
        let mut capacity = node.built_capacity_in(year);
        for policy in &self.policies {
            if !policy.is_active_in(year) {
                continue;
            }
            if let PolicyKind::CapacityChange {
                node: target,
                change,
            } = &policy.kind
                && *target == node.id
            {
                capacity = match *change {
                    CapacityChangeKind::SetTo(t_per_yr) => t_per_yr,
                    CapacityChangeKind::Scale(factor) => capacity * factor,
                    CapacityChangeKind::Add(t_per_yr) => capacity + t_per_yr,
                };
            }
        }
        capacity.max(0.0)
    }

    /// The factor by which policies scale a node against its built capacity in `year`
    /// (1 when no policy applies; used to scale refinery circuits alike).
    pub fn capacity_scale_in(&self, node: &Node, year: i32) -> f64 {
        let built = node.built_capacity_in(year);
        if built > 0.0 {
            self.capacity_in(node, year) / built
        } else {
            1.0
        }
    }
}

#[cfg(test)]
mod tests {
    use super::ramp_fraction;

    #[test]
    fn ramp_is_linear_and_bounded() {
        assert_eq!(ramp_fraction(None, 3, 2000), 1.0);
        assert_eq!(ramp_fraction(Some(2026), 2, 2025), 0.0);
        assert_eq!(ramp_fraction(Some(2026), 2, 2026), 0.5);
        assert_eq!(ramp_fraction(Some(2026), 2, 2027), 1.0);
        assert_eq!(ramp_fraction(Some(2026), 2, 2035), 1.0);
        assert_eq!(ramp_fraction(Some(2026), 0, 2026), 1.0);
        assert!((ramp_fraction(Some(2026), 3, 2027) - 2.0 / 3.0).abs() < 1e-12);
    }
}
