//! `nodes.csv` to the scenario's nodes: one node per facility (mine, separation refinery
//! or magnet plant), from the facility's rows of every commodity group.
//!
//! The derivation reads the structured columns only (`operator`, `ore_type`,
//! `capacity_t_ndfeb`, `output_2024_t_ndfeb`, `output_2025_t_ndfeb`, the t REO columns);
//! the prose of `native_quantity` stays in the file for readers.

use std::collections::BTreeMap;

use rareflow::model::{
    Circuit, Expansion, Node, NodeStatus, Process, RecipeInput, RefineryFeed, ReportedOutput, Share,
};

use crate::table::{DeriveError, Record, Row, Table, data_error, shared_text};
use crate::{BASE_YEAR, Inputs, MAGNETS, OXIDES};

/// Placeholder split for mines with no published figures (capacity 0 until one exists).
const PLACEHOLDER_ORE_TYPE: &str = "bastnaesite_generic";

/// How far (t) a row's t REO may be from its t NdFeB times the magnet recipe: the data
/// rounds to whole tonnes.
const MAGNET_ROUNDING_T: f64 = 1.0;

/// Splits `MINE-CHN-light_ree_mines-NDPR-2` into (`MINE-CHN-light_ree_mines`, `NDPR`, 2).
pub fn split_node_id(node_id: &str) -> Option<(&str, &str, u32)> {
    let (rest, phase) = match node_id.strip_suffix("-2") {
        Some(rest) => (rest, 2),
        None => (node_id, 1),
    };
    let (facility, group) = rest.rsplit_once('-')?;
    Some((facility, group, phase))
}

fn parse_status(table: &Table, text: &str) -> Result<NodeStatus, DeriveError> {
    Ok(match text {
        "operating" => NodeStatus::Operating,
        "construction" => NodeStatus::Construction,
        "planned" => NodeStatus::Planned,
        "pilot" => NodeStatus::Pilot,
        "exploration" => NodeStatus::Exploration,
        other => {
            return Err(data_error(
                &table.file,
                format!("unknown status \"{other}\""),
            ));
        }
    })
}

/// Joins distinct, non-empty texts with " | ".
fn join_distinct<'a>(texts: impl Iterator<Item = &'a str>) -> String {
    let mut distinct: Vec<&str> = Vec::new();
    for text in texts.flat_map(|text| text.split(" | ")) {
        let text = text.trim();
        if !text.is_empty() && !distinct.contains(&text) {
            distinct.push(text);
        }
    }
    distinct.join(" | ")
}

/// A facility's rows: phase 1, and a later phase (`-2` suffix) if any.
struct Facility<'a> {
    id: &'a str,
    first: Vec<&'a Record>,
    later: Vec<&'a Record>,
}

impl Facility<'_> {
    fn all_rows(&self) -> Vec<&Record> {
        self.first.iter().chain(&self.later).copied().collect()
    }
}

/// The builder of nodes: the node table and the constants it needs.
struct NodeMaker<'a, 'd> {
    inputs: &'a Inputs<'d>,
    table: &'a Table,
}

/// Every facility of `nodes.csv` as a node, in file order. The metal stage is not a stage
/// of the model (oxide goes to magnet plants directly): its rows are left out.
pub fn nodes(inputs: &Inputs<'_>) -> Result<Vec<Node>, DeriveError> {
    let table = &inputs.data.nodes;
    let mut facilities: Vec<Facility<'_>> = Vec::new();
    let mut index_of: BTreeMap<&str, usize> = BTreeMap::new();
    for row in &table.rows {
        if row.text("stage") == "metal" {
            continue;
        }
        let node_id = row.text("node_id");
        let (facility, _, phase) = split_node_id(node_id).ok_or_else(|| {
            data_error(&table.file, format!("cannot split node_id \"{node_id}\""))
        })?;
        let index = *index_of.entry(facility).or_insert_with(|| {
            facilities.push(Facility {
                id: facility,
                first: Vec::new(),
                later: Vec::new(),
            });
            facilities.len() - 1
        });
        let entry = &mut facilities[index];
        if phase == 1 {
            entry.first.push(row);
        } else {
            entry.later.push(row);
        }
    }
    let maker = NodeMaker { inputs, table };
    facilities
        .iter()
        .map(|facility| maker.node(facility))
        .collect()
}

impl NodeMaker<'_, '_> {
    fn node(&self, facility: &Facility<'_>) -> Result<Node, DeriveError> {
        let Some(first) = facility.first.first() else {
            return Err(data_error(
                &self.table.file,
                format!("{}: a phase 2 without a phase 1", facility.id),
            ));
        };
        match first.text("stage") {
            "mine" => self.mine(facility),
            "refinery" => self.refinery(facility),
            "magnet" => self.magnet_plant(facility),
            other => Err(data_error(
                &self.table.file,
                format!("unknown stage \"{other}\""),
            )),
        }
    }

    fn ramp_for(&self, start_year: Option<i32>) -> u32 {
        match start_year {
            Some(start) if start > BASE_YEAR => self.inputs.ramp_years,
            _ => 0,
        }
    }

    /// Node notes: the data's notes, then any unit cost or capex text, then the estimate
    /// flag and the ramp of a new project.
    fn node_notes(&self, rows: &[&Record]) -> Result<String, DeriveError> {
        let mut notes = join_distinct(rows.iter().map(|row| row.text("notes")));
        let costs = join_distinct(rows.iter().map(|row| row.text("unit_cost")));
        if !costs.is_empty() {
            notes.push_str(&format!(
                ". Unit cost in the data: {costs} (integrated mine and refinery, not split by \
                 stage)"
            ));
        }
        let capex = join_distinct(rows.iter().map(|row| row.text("capex")));
        if !capex.is_empty() {
            notes.push_str(&format!(". Capex: {capex}"));
        }
        let estimate = join_distinct(rows.iter().map(|row| row.text("estimate")));
        if !estimate.is_empty() && estimate != "no" {
            notes.push_str(&format!(". Estimate: {estimate}"));
        }
        if let Some(start) = self.start_year(rows)?
            && start > BASE_YEAR
        {
            notes.push_str(&format!(
                ". Ramp to nameplate over {} years from {start} (ESTIMATE)",
                self.inputs.ramp_years
            ));
        }
        Ok(notes)
    }

    /// The first start year among the rows.
    fn start_year(&self, rows: &[&Record]) -> Result<Option<i32>, DeriveError> {
        for row in rows {
            if let Some(year) = row.optional_year(self.table, "start_year")? {
                return Ok(Some(year));
            }
        }
        Ok(None)
    }

    /// Output in t REO by group, 2024 then 2025, where above zero.
    fn reported_outputs(&self, rows: &[&Record]) -> Result<Vec<ReportedOutput>, DeriveError> {
        let mut outputs = Vec::new();
        for (year, column) in [(2024, "output_2024_t_reo"), (2025, "output_2025_t_reo")] {
            for row in rows {
                let t = row.optional_number(self.table, column)?.unwrap_or(0.0);
                if t > 0.0 {
                    outputs.push(ReportedOutput {
                        year,
                        commodity: row.text("commodity_group").to_owned(),
                        t,
                    });
                }
            }
        }
        Ok(outputs)
    }

    /// Fields every kind of node takes from its phase-1 rows.
    fn node_base(
        &self,
        facility: &Facility<'_>,
        capacity_t_per_yr: f64,
        reported_output: Vec<ReportedOutput>,
        process: Process,
    ) -> Result<Node, DeriveError> {
        let rows = &facility.first;
        let first = rows[0];
        let start_year = first.optional_year(self.table, "start_year")?;
        Ok(Node {
            id: facility.id.to_owned(),
            name: first.text("facility").to_owned(),
            operator: shared_text(self.table, facility.id, &facility.all_rows(), "operator")?
                .to_owned(),
            country: first.text("iso3").to_owned(),
            status: parse_status(self.table, first.text("status"))?,
            capacity_t_per_yr,
            start_year,
            ramp_years: self.ramp_for(start_year),
            expansions: Vec::new(),
            unit_cost_usd_per_kg: None,
            reported_output,
            process,
            source: join_distinct(rows.iter().map(|row| row.text("source"))),
            notes: self.node_notes(rows)?,
        })
    }

    fn composition_of_ore_type(&self, ore_type: &str) -> Result<Vec<Share>, DeriveError> {
        let compositions = &self.inputs.data.compositions;
        let row = compositions
            .rows
            .iter()
            .find(|row| row.text("ore_type") == ore_type)
            .ok_or_else(|| data_error(&compositions.file, format!("no ore type \"{ore_type}\"")))?;
        OXIDES
            .iter()
            .map(|oxide| {
                Ok(Share {
                    commodity: (*oxide).to_owned(),
                    share: row.number(compositions, oxide)?,
                })
            })
            .collect()
    }

    /// A mine: capacity is the sum of the group rows; the composition is the
    /// `mine_composition.csv` row of the `ore_type` column (the group rows must be that
    /// composition times the total), else the rows' own split. Rows of group `ALL` or
    /// `MIXED` have no capacity; they get the generic bastnaesite split as a placeholder.
    fn mine(&self, facility: &Facility<'_>) -> Result<Node, DeriveError> {
        let rows = &facility.first;
        let mut capacity_by_group: Vec<(String, f64)> = Vec::new();
        for row in rows {
            let group = row.text("commodity_group");
            let capacity = row
                .optional_number(self.table, "capacity_t_reo")?
                .unwrap_or(0.0);
            if OXIDES.contains(&group) {
                capacity_by_group.push((group.to_owned(), capacity));
            }
        }
        let capacity: f64 = capacity_by_group.iter().map(|(_, t)| t).sum();
        let named_ore_type = shared_text(self.table, facility.id, rows, "ore_type")?;
        let (ore_type, composition, extra_note) = if !named_ore_type.is_empty() {
            let composition = self.composition_of_ore_type(named_ore_type)?;
            // The group rows are the composition times the total, rounded to whole tonnes.
            for (group, t) in &capacity_by_group {
                let share = composition
                    .iter()
                    .find(|s| s.commodity == *group)
                    .map_or(0.0, |s| s.share);
                if (share * capacity - t).abs() > 1.0 {
                    return Err(data_error(
                        &self.table.file,
                        format!(
                            "{}: {group} row {t} t is not {share} of {capacity} t",
                            facility.id
                        ),
                    ));
                }
            }
            (named_ore_type.to_owned(), composition, "")
        } else if capacity > 0.0 {
            let composition = capacity_by_group
                .iter()
                .map(|(group, t)| Share {
                    commodity: group.clone(),
                    share: t / capacity,
                })
                .collect();
            ("from the data's group rows".to_owned(), composition, "")
        } else {
            (
                PLACEHOLDER_ORE_TYPE.to_owned(),
                self.composition_of_ore_type(PLACEHOLDER_ORE_TYPE)?,
                ". Composition is a placeholder (generic bastnaesite): no split is published \
                 and capacity is 0 until a figure exists",
            )
        };
        let outputs = self.reported_outputs(rows)?;
        let mut node = self.node_base(
            facility,
            capacity,
            outputs,
            Process::Mine {
                ore_type,
                composition,
            },
        )?;
        node.notes.push_str(extra_note);
        Ok(node)
    }

    /// A separation refinery: each group row is a separation circuit; feed capacity is
    /// their sum. Concentrate-fed plants recover `refinery_recovery`; secondary supply
    /// (recycling) has its own feed and no loss.
    fn refinery(&self, facility: &Facility<'_>) -> Result<Node, DeriveError> {
        let rows = &facility.first;
        let node_start = rows[0].optional_year(self.table, "start_year")?;
        // Every row is a circuit. A circuit that starts later than the node (a planned heavy
        // circuit, or a phase-2 row) keeps its own start year and ramp.
        let mut circuits = Vec::new();
        for row in facility.all_rows() {
            let row_start = row.optional_year(self.table, "start_year")?;
            let start_year = match (row_start, node_start) {
                (Some(row_year), Some(node_year)) if row_year > node_year => Some(row_year),
                (Some(row_year), None) if row_year > BASE_YEAR => Some(row_year),
                _ => None,
            };
            circuits.push(Circuit {
                commodity: row.text("commodity_group").to_owned(),
                capacity_t_per_yr: row.number(self.table, "capacity_t_reo")?,
                start_year,
                ramp_years: start_year.map_or(0, |year| self.ramp_for(Some(year))),
            });
        }
        let capacity: f64 = circuits
            .iter()
            .filter(|circuit| circuit.start_year.is_none())
            .map(|circuit| circuit.capacity_t_per_yr)
            .sum();
        let secondary = rows.iter().any(|row| row.text("subtype") == "secondary");
        let feed = if secondary {
            RefineryFeed::Secondary {
                composition: circuits
                    .iter()
                    .map(|circuit| Share {
                        commodity: circuit.commodity.clone(),
                        share: circuit.capacity_t_per_yr / capacity,
                    })
                    .collect(),
            }
        } else {
            RefineryFeed::Concentrate
        };
        let outputs = self.reported_outputs(rows)?;
        let mut node = self.node_base(
            facility,
            capacity,
            outputs,
            Process::Refinery {
                recovery: if secondary {
                    1.0
                } else {
                    self.inputs.refinery_recovery
                },
                circuits,
                feed,
            },
        )?;
        if !facility.later.is_empty() {
            node.notes.push_str(&format!(
                ". Phase 2: {}",
                join_distinct(facility.later.iter().map(|row| row.text("notes")))
            ));
        }
        Ok(node)
    }

    /// (capacity, output 2024, output 2025) in t NdFeB of a magnet plant's phase, shared
    /// by its group rows, each of which must be its group's recipe share in t REO.
    fn magnet_quantities(&self, facility: &str, rows: &[&Record]) -> Result<[f64; 3], DeriveError> {
        let columns = [
            ("capacity_t_ndfeb", "capacity_t_reo"),
            ("output_2024_t_ndfeb", "output_2024_t_reo"),
            ("output_2025_t_ndfeb", "output_2025_t_reo"),
        ];
        let mut quantities = [0.0; 3];
        for (quantity, (ndfeb_column, reo_column)) in quantities.iter_mut().zip(columns) {
            let text = shared_text(self.table, facility, rows, ndfeb_column)?;
            *quantity = text.parse::<f64>().map_err(|_| {
                data_error(
                    &self.table.file,
                    format!("{facility}: `{ndfeb_column}` is not a number: \"{text}\""),
                )
            })?;
            for row in rows {
                let group = row.text("commodity_group");
                let t_reo = row.optional_number(self.table, reo_column)?.unwrap_or(0.0);
                let expected = *quantity * self.inputs.recipe.t_per_t(group);
                if (expected - t_reo).abs() > MAGNET_ROUNDING_T {
                    return Err(data_error(
                        &self.table.file,
                        format!(
                            "{}: {quantity} t NdFeB ({ndfeb_column}) does not match {t_reo} t \
                             {group} ({reo_column}); the recipe gives {expected} t",
                            row.text("node_id")
                        ),
                    ));
                }
            }
        }
        Ok(quantities)
    }

    /// A magnet plant: capacity and output in t NdFeB; the recipe of `assumptions.csv`.
    /// A later phase becomes an expansion.
    fn magnet_plant(&self, facility: &Facility<'_>) -> Result<Node, DeriveError> {
        let [capacity, output_2024, output_2025] =
            self.magnet_quantities(facility.id, &facility.first)?;
        let outputs = [(2024, output_2024), (2025, output_2025)]
            .into_iter()
            .filter(|(_, t)| *t > 0.0)
            .map(|(year, t)| ReportedOutput {
                year,
                commodity: MAGNETS.to_owned(),
                t,
            })
            .collect();
        let recipe = &self.inputs.recipe;
        let mut node = self.node_base(
            facility,
            capacity,
            outputs,
            Process::MagnetPlant {
                product: MAGNETS.to_owned(),
                recipe: vec![
                    RecipeInput {
                        commodity: "NDPR".to_owned(),
                        t_per_t: recipe.ndpr_t_per_t,
                    },
                    RecipeInput {
                        commodity: "DYTB".to_owned(),
                        t_per_t: recipe.dytb_t_per_t,
                    },
                ],
            },
        )?;
        if let Some(later) = facility
            .later
            .iter()
            .find(|row| row.text("commodity_group") == "NDPR")
        {
            let [added, ..] = self.magnet_quantities(facility.id, &facility.later)?;
            let year = later
                .optional_year(self.table, "start_year")?
                .ok_or_else(|| {
                    data_error(
                        &self.table.file,
                        format!("{}-2 has no start year", facility.id),
                    )
                })?;
            node.expansions.push(Expansion {
                year,
                added_t_per_yr: added,
                ramp_years: self.ramp_for(Some(year)),
                source: later.text("source").to_owned(),
            });
            node.notes
                .push_str(&format!(". Phase 2: {}", later.text("notes")));
        }
        Ok(node)
    }
}
