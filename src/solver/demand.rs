//! Demand curves: what a region's buyers of one commodity would pay for each tonne.
//!
//! Two shapes, both through an anchor (`reference_kt`, `price_usd_per_kg`) with elasticity
//! ε at the anchor:
//!
//! * **Linear**: `P(q) = P·(1 + (Q − q)/(ε·Q))`, up to the choke price `P·(1 + 1/ε)` at
//!   q = 0. Simple, and what the hand-solved networks use; but it caps how far a price can
//!   move at `1/ε` above the anchor, however scarce the goods.
//! * **Constant elasticity**: `P(q) = P·(q/Q)^(−1/ε)`. A small elasticity then means what it
//!   says in a crisis: buyers of an input that is a tiny share of their product's cost
//!   (Dy/Tb in a magnet, yttrium in a coating) keep buying at many times the old price. The
//!   curve is approximated by straight pieces between breakpoints at fixed price multiples
//!   (so the problem stays a QP; each piece is a variable with its own slope, filled in
//!   order because earlier pieces are worth more), and it is capped at
//!   `price_cap_multiple × P`, the price at which buyers rather go without (a value of lost
//!   supply, as electricity market models use for unserved load): the first piece, from 0
//!   to the quantity demanded at the cap, rises gently from the cap to [`CAP_RISE`] above
//!   it (see there why it is not flat).

/// Price multiples of the anchor price at which the constant-elasticity curve has its
/// breakpoints (above the cap they are dropped). Between them the curve is a straight line,
/// within about 8 % of the curve's price; the anchor (1×) is one, so a calibrated base year
/// is reproduced exactly. Four breakpoints (six pieces with the cap and the tail) solve
/// 20-30 % faster than eight (measured on the baseline horizon): every piece is a variable
/// of every market of every year.
const BREAKPOINT_MULTIPLES: [f64; 4] = [4.0, 2.0, 1.0, 0.6];

/// How far above the cap the first tonne of a capped curve is worth: the first piece falls
/// from `(1 + CAP_RISE) × cap` at zero consumption to the cap where rationing starts.
///
/// Buyers are not all alike: the cap is the typical buyer's value of lost supply, and those
/// with no way round a shortage would pay more. A tenth is a rareflow choice, well inside
/// the caps' own uncertainty (each is an ESTIMATE in `assumptions.csv`). What it settles is
/// who goes short when several regions are at the cap. On a flat cap the solver handed the
/// scarce tonnes to the regions whose delivered cost was lower by cents: magnet buyers
/// outside China in 2025 of `china-heavy-ree-licensing-2025.ron` were 10 % short in
/// Japan, Europe and the USA but 96 % in Korea, all at 120 $/kg. With the rise each region
/// is priced by its own shortfall and the shortage is shared about pro rata (31.6–33.0 %
/// everywhere; a rise of 5 % or 20 % gives shares within 2.8 or 0.8 points).
pub const CAP_RISE: f64 = 0.1;

/// The shape of a demand curve.
#[derive(Clone, Debug, PartialEq)]
enum Shape {
    Linear { elasticity: f64 },
    Pieces(Vec<Piece>),
}

/// A piece of a piecewise-linear curve: `width_kt` of consumption over which the price
/// falls from `start` to `end` (US$/kg).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Piece {
    width_kt: f64,
    start: f64,
    end: f64,
}

/// A region's demand for one commodity in one year.
#[derive(Clone, Debug, PartialEq)]
pub struct DemandCurve {
    /// Demand at the anchor price this year, kt (grown, shocked and adapted).
    pub reference_kt: f64,
    /// The anchor price, US$/kg.
    pub price_usd_per_kg: f64,
    shape: Shape,
}

impl DemandCurve {
    pub fn linear(reference_kt: f64, price_usd_per_kg: f64, elasticity: f64) -> Self {
        Self {
            reference_kt,
            price_usd_per_kg,
            shape: Shape::Linear { elasticity },
        }
    }

    /// The constant-elasticity curve through the anchor, in straight pieces, capped at
    /// `price_cap_multiple` times the anchor price (a cap below 1 is taken as 1), the last
    /// tonnes up to [`CAP_RISE`] above it.
    pub fn constant_elasticity(
        reference_kt: f64,
        price_usd_per_kg: f64,
        elasticity: f64,
        price_cap_multiple: f64,
    ) -> Self {
        let quantity_at = |multiple: f64| reference_kt * multiple.powf(-elasticity);
        let cap = price_cap_multiple.max(1.0);
        let mut multiples = vec![cap];
        multiples.extend(BREAKPOINT_MULTIPLES.iter().copied().filter(|&m| m < cap));
        let mut pieces = vec![Piece {
            width_kt: quantity_at(cap),
            start: (1.0 + CAP_RISE) * cap * price_usd_per_kg,
            end: cap * price_usd_per_kg,
        }];
        for pair in multiples.windows(2) {
            pieces.push(Piece {
                width_kt: quantity_at(pair[1]) - quantity_at(pair[0]),
                start: pair[0] * price_usd_per_kg,
                end: pair[1] * price_usd_per_kg,
            });
        }
        // The tail falls to zero with the curve's own slope at the last breakpoint,
        // `dP/dq = −P/(ε·q)`, over `ε·q`.
        let last = multiples[multiples.len() - 1];
        pieces.push(Piece {
            width_kt: elasticity * quantity_at(last),
            start: last * price_usd_per_kg,
            end: 0.0,
        });
        Self {
            reference_kt,
            price_usd_per_kg,
            shape: Shape::Pieces(pieces),
        }
    }

    pub fn is_linear(&self) -> bool {
        matches!(self.shape, Shape::Linear { .. })
    }

    /// The price at consumption `q_kt`, never below zero.
    pub fn price_at(&self, q_kt: f64) -> f64 {
        match &self.shape {
            Shape::Linear { elasticity } => {
                let price = self.price_usd_per_kg
                    * (1.0 + (self.reference_kt - q_kt) / (elasticity * self.reference_kt));
                price.max(0.0)
            }
            Shape::Pieces(pieces) => {
                let mut left = q_kt.max(0.0);
                for piece in pieces {
                    if left <= piece.width_kt {
                        return piece.start - (piece.start - piece.end) * left / piece.width_kt;
                    }
                    left -= piece.width_kt;
                }
                0.0
            }
        }
    }

    /// The highest price buyers pay: the choke price (linear) or `(1 + CAP_RISE)` × the cap.
    pub fn choke_price(&self) -> f64 {
        match &self.shape {
            Shape::Linear { elasticity } => self.price_usd_per_kg * (1.0 + 1.0 / elasticity),
            Shape::Pieces(pieces) => pieces.first().map_or(0.0, |p| p.start),
        }
    }

    /// The consumption variables of the minimised objective, one per piece, in order:
    /// `(c, d, upper_kt)` for `c·q + ½·d·q²` with `0 ≤ q ≤ upper` (minus the gross surplus).
    pub fn objective_pieces(&self) -> Vec<(f64, f64, f64)> {
        match &self.shape {
            Shape::Linear { elasticity } => vec![(
                -self.choke_price(),
                self.price_usd_per_kg / (elasticity * self.reference_kt),
                f64::INFINITY,
            )],
            Shape::Pieces(pieces) => pieces
                .iter()
                .filter(|p| p.width_kt > 0.0)
                .map(|p| (-p.start, (p.start - p.end) / p.width_kt, p.width_kt))
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_linear_curve_passes_its_anchor_and_chokes() {
        let curve = DemandCurve::linear(2.0, 10.0, 0.5);
        assert_eq!(curve.price_at(2.0), 10.0);
        assert_eq!(curve.choke_price(), 30.0);
        assert_eq!(curve.price_at(0.0), 30.0);
        assert_eq!(curve.price_at(7.0), 0.0);
    }

    #[test]
    fn constant_elasticity_pieces_meet_the_curve_at_every_breakpoint() {
        let (q, p, elasticity) = (2.0, 10.0, 0.2);
        let curve = DemandCurve::constant_elasticity(q, p, elasticity, 20.0);
        // The first tonne is worth CAP_RISE more than the cap.
        assert!((curve.choke_price() - 220.0).abs() < 1e-9);
        for multiple in [20.0, 4.0, 2.0, 1.0, 0.6] {
            let at = q * f64::powf(multiple, -elasticity);
            assert!(
                (curve.price_at(at) - multiple * p).abs() < 1e-9,
                "{multiple}: {} at {at}",
                curve.price_at(at)
            );
        }
        // Between breakpoints the straight piece lies within 8 % of the curve.
        for multiple in [2.8, 1.4, 0.8] {
            let at = q * f64::powf(multiple, -elasticity);
            let exact = multiple * p;
            assert!(
                (curve.price_at(at) - exact).abs() < 0.08 * exact,
                "{multiple}: {}",
                curve.price_at(at)
            );
        }
        // Below the quantity demanded at the cap, the price rises in a straight line from
        // the cap to CAP_RISE above it.
        assert!((curve.price_at(0.0) - 220.0).abs() < 1e-9);
        let halfway = curve.price_at(0.5 * q * f64::powf(20.0, -elasticity));
        assert!((halfway - 210.0).abs() < 1e-9, "{halfway}");
        // Pieces are filled in order: each starts at or below the previous one's end.
        let pieces = curve.objective_pieces();
        for pair in pieces.windows(2) {
            assert!(-pair[1].0 <= -pair[0].0 - pair[0].1 * pair[0].2 + 1e-9);
        }
    }

    #[test]
    fn a_cap_below_a_breakpoint_drops_it() {
        let curve = DemandCurve::constant_elasticity(1.0, 5.0, 0.3, 2.0);
        assert!((curve.choke_price() - 11.0).abs() < 1e-12);
        // The cap piece, then to 1 and 0.6, then the tail: 4 pieces.
        assert_eq!(curve.objective_pieces().len(), 4);
    }
}
