//! How the Sankey is built from a year's solution: the blocks of each column (countries,
//! regions), the bands between them in tonnes of the traced oxide, and the same drawn as
//! change against the reference. `flows_view` draws what this builds.

use std::collections::BTreeMap;

use egui::Color32;

use super::flow_change;
use super::view_ctx::ViewCtx;
use crate::model::Stage;
use crate::solver::{FlowTarget, OriginKind, YearSolution};

/// A box in a column.
pub(super) struct Block {
    pub(super) column: usize,
    pub(super) label: String,
    pub(super) value: f64,
    pub(super) colour: Color32,
}

pub(super) struct Band {
    pub(super) from: usize,
    pub(super) to: usize,
    pub(super) value: f64,
}

#[derive(Default)]
pub(super) struct Sankey {
    pub(super) blocks: Vec<Block>,
    pub(super) index: BTreeMap<(usize, String), usize>,
    pub(super) bands: BTreeMap<(usize, usize), f64>,
    /// Drawn as change against the reference: each band's (reference, scenario) tonnes;
    /// `bands` then holds the size of the change.
    pub(super) changes: BTreeMap<(usize, usize), (f64, f64)>,
}

/// A steady colour for a country code.
pub(super) fn country_colour(code: &str) -> Color32 {
    if code.starts_with("CHN") {
        return Color32::from_rgb(0xd9, 0x4f, 0x4f);
    }
    let hash = code
        .bytes()
        .fold(7u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    let hue = (hash % 360) as f32 / 360.0;
    egui::ecolor::Hsva::new(hue, 0.45, 0.8, 1.0).into()
}

impl Sankey {
    pub(super) fn block(&mut self, column: usize, key: &str, label: String) -> usize {
        if let Some(&index) = self.index.get(&(column, key.to_owned())) {
            return index;
        }
        self.blocks.push(Block {
            column,
            label,
            value: 0.0,
            colour: country_colour(key),
        });
        self.index
            .insert((column, key.to_owned()), self.blocks.len() - 1);
        self.blocks.len() - 1
    }

    pub(super) fn band(&mut self, from: usize, to: usize, value: f64) {
        if value > 0.0 {
            *self.bands.entry((from, to)).or_default() += value;
        }
    }
}

/// The Sankey's column indices.
#[derive(Clone, Copy)]
pub(super) struct ColumnIndex {
    pub(super) mining: usize,
    pub(super) refining: usize,
    pub(super) making: usize,
    pub(super) using: usize,
}

/// Bands from mining countries (and recycling) to refining countries.
pub(super) fn mined_to_refined(
    sankey: &mut Sankey,
    view: &ViewCtx<'_>,
    year: &YearSolution,
    tracer: &str,
    columns: ColumnIndex,
) {
    let ColumnIndex {
        mining, refining, ..
    } = columns;
    // How much of the tracer each refinery received, from which mining country.
    let mut received: BTreeMap<&str, BTreeMap<&str, f64>> = BTreeMap::new();
    for flow in year.flows.iter().filter(|f| f.stage == Stage::Mine) {
        *received
            .entry(flow.to.id.as_str())
            .or_default()
            .entry(flow.from.country_code())
            .or_default() += flow.content_of(tracer);
    }
    for node in &year.nodes {
        if node.stage != Stage::Refinery {
            continue;
        }
        let output: f64 = node
            .outputs
            .iter()
            .filter(|(c, _)| c == tracer)
            .map(|(_, t)| t)
            .sum();
        if output <= 0.0 {
            continue;
        }
        let refinery = sankey.block(refining, &node.country, node.country_name.clone());
        let recycled =
            !node.origin.is_empty() && node.origin.iter().all(|o| o.kind == OriginKind::Recycled);
        if recycled {
            let key = format!("{}:recycled", node.country);
            let source = sankey.block(mining, &key, format!("{} (recycled)", node.country_name));
            sankey.band(source, refinery, output);
            continue;
        }
        // The refinery's output, split like the tracer it received.
        let Some(sources) = received.get(node.node.as_str()) else {
            continue;
        };
        let total: f64 = sources.values().sum();
        for (country, content) in sources {
            if total > 0.0 {
                let source = sankey.block(mining, country, view.country_name(country));
                sankey.band(source, refinery, output * content / total);
            }
        }
    }
}

/// Bands from refining countries into regions' markets (their final users and magnet
/// makers), and from magnet makers to the regions that use the magnets.
pub(super) fn refined_onwards(
    sankey: &mut Sankey,
    year: &YearSolution,
    tracer: &str,
    magnet_share: f64,
    with_magnets: bool,
    columns: ColumnIndex,
) {
    let ColumnIndex {
        refining,
        making,
        using,
        ..
    } = columns;
    // Each region's market of the tracer: what each refining country sent into it, split
    // proportionally between its final users and the magnet makers who buy there.
    let mut sent: BTreeMap<&str, BTreeMap<(&str, &str), f64>> = BTreeMap::new();
    let mut bought_by_makers: Vec<(&str, &str, String, f64)> = Vec::new();
    for flow in year
        .flows
        .iter()
        .filter(|f| f.stage == Stage::Refinery && f.commodity.as_deref() == Some(tracer))
    {
        match flow.target {
            FlowTarget::Region => {
                *sent
                    .entry(flow.to.id.as_str())
                    .or_default()
                    .entry((flow.from.id.as_str(), flow.from.name.as_str()))
                    .or_default() += flow.t;
            }
            FlowTarget::MagnetMakers if with_magnets => bought_by_makers.push((
                flow.from.id.as_str(),
                flow.to.id.as_str(),
                flow.to.name.clone(),
                flow.t,
            )),
            _ => {}
        }
    }
    for (region, senders) in &sent {
        let total: f64 = senders.values().sum();
        if total <= 0.0 {
            continue;
        }
        let used = year.market(region, tracer).map_or(0.0, |m| m.consumption_t);
        let key = format!("region:{region}");
        let label = year.market(region, tracer).map_or_else(
            || (*region).to_owned(),
            |m| crate::report::short_region_name(&m.region_name).to_owned(),
        );
        let users = sankey.block(using, &key, label);
        for ((country, name), t) in senders {
            let from = sankey.block(refining, country, (*name).to_owned());
            sankey.band(from, users, used * t / total);
            for (market, maker, maker_name, bought) in &bought_by_makers {
                if market == region {
                    let to = sankey.block(making, maker, maker_name.clone());
                    sankey.band(from, to, bought * t / total);
                }
            }
        }
    }
    if with_magnets {
        for flow in year.flows.iter().filter(|f| f.stage == Stage::Magnet) {
            let from = sankey.block(making, &flow.from.id, flow.from.name.clone());
            let key = format!("region:{}", flow.to.id);
            let to = sankey.block(using, &key, flow.to.id.clone());
            sankey.band(from, to, flow.t * magnet_share);
        }
    }
}

/// Builds the Sankey of `tracer` (an oxide) for the year; `magnet_share` turns tonnes of
/// magnets into tonnes of the tracer.
pub(super) fn build(
    view: &ViewCtx<'_>,
    year: &YearSolution,
    tracer: &str,
    magnet_share: f64,
    with_magnets: bool,
) -> Sankey {
    let mut sankey = Sankey::default();
    let columns = ColumnIndex {
        mining: 0,
        refining: 1,
        making: 2,
        using: if with_magnets { 3 } else { 2 },
    };
    mined_to_refined(&mut sankey, view, year, tracer, columns);
    refined_onwards(
        &mut sankey,
        year,
        tracer,
        magnet_share,
        with_magnets,
        columns,
    );
    settle_block_values(&mut sankey);
    sankey
}

/// Every band keyed by its ends' (column, key), for matching two years' Sankeys.
pub(super) type BandsByKey = BTreeMap<((usize, String), (usize, String)), f64>;

pub(super) fn bands_by_key(sankey: &Sankey) -> BandsByKey {
    let mut keys = vec![(0, String::new()); sankey.blocks.len()];
    for (key, &index) in &sankey.index {
        keys[index] = key.clone();
    }
    sankey
        .bands
        .iter()
        .map(|(&(from, to), &t)| ((keys[from].clone(), keys[to].clone()), t))
        .collect()
}

/// The Sankey of the change from `reference` to `scenario`: a band per route of either,
/// as thick as its change, coloured by what happened to it.
pub(super) fn change_against(reference: &Sankey, scenario: &Sankey) -> Sankey {
    let label = |key: &(usize, String)| {
        scenario
            .index
            .get(key)
            .map(|&i| &scenario.blocks[i])
            .or_else(|| reference.index.get(key).map(|&i| &reference.blocks[i]))
            .map_or_else(|| key.1.clone(), |block| block.label.clone())
    };
    let mut change = Sankey::default();
    let links = flow_change::link_changes(&bands_by_key(reference), &bands_by_key(scenario));
    for link in links {
        if link.size_t() < crate::plant_compare::NEGLIGIBLE_T {
            continue;
        }
        let from = change.block(link.from.0, &link.from.1, label(&link.from));
        let to = change.block(link.to.0, &link.to.1, label(&link.to));
        change.band(from, to, link.size_t());
        change
            .changes
            .insert((from, to), (link.reference_t, link.scenario_t));
    }
    settle_block_values(&mut change);
    change
}

/// A block's value is the larger of what enters and what leaves it.
pub(super) fn settle_block_values(sankey: &mut Sankey) {
    let bands: Vec<Band> = sankey
        .bands
        .iter()
        .map(|(&(from, to), &value)| Band { from, to, value })
        .collect();
    for band in &bands {
        let out = band.value;
        sankey.blocks[band.from].value += out;
    }
    // A block's value is the larger of what enters and what leaves it.
    let mut incoming = vec![0.0; sankey.blocks.len()];
    for band in &bands {
        incoming[band.to] += band.value;
    }
    for (block, entering) in sankey.blocks.iter_mut().zip(incoming) {
        block.value = block.value.max(entering);
    }
}
