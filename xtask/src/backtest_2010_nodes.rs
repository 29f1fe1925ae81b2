//! The 2010 world's `nodes.csv` to the scenario's nodes, by the baseline's rules: a mine's
//! oxides split by its ore type's composition (`mine_composition.csv`), refineries recover
//! `refinery_recovery` of concentrate, magnet plants use the magnet recipe, projects that
//! start after the base year ramp over `new_capacity_ramp_years` (all of `assumptions.csv`).
//!
//! One row is one facility (the 2010 world has 17). Where no separation figure exists, a
//! refinery names the mines that feed it (`fed_by`): its capacity and 2010 output are
//! theirs less process losses, split into circuits by their ore, for the oxides it
//! `separates` (what it does not separate is set aside, as Lynas did with its heavy rare
//! earths). A secondary refinery (recycling, a stockpile) gives its own `composition`.

use rareflow::model::{
    Circuit, Expansion, Node, NodeStatus, Process, RecipeInput, RefineryFeed, ReportedOutput, Share,
};

use crate::backtest_2010::{BASE_YEAR, Citations};
use crate::table::{DeriveError, Record, Row, Table, data_error};
use crate::{Inputs, MAGNETS, OXIDES};

const FILE: &str = "backtest/2010/nodes.csv";

/// Every row of the 2010 `nodes.csv` as a node, in file order.
pub fn nodes(
    table: &Table,
    compositions: &Table,
    parameters: &Inputs<'_>,
    citations: &Citations,
) -> Result<Vec<Node>, DeriveError> {
    let maker = NodeMaker {
        table,
        compositions,
        parameters,
        citations,
    };
    table.rows.iter().map(|row| maker.node(row)).collect()
}

struct NodeMaker<'a, 'd> {
    table: &'a Table,
    compositions: &'a Table,
    parameters: &'a Inputs<'d>,
    citations: &'a Citations,
}

fn status(text: &str) -> Result<NodeStatus, DeriveError> {
    Ok(match text {
        "operating" => NodeStatus::Operating,
        "construction" => NodeStatus::Construction,
        "planned" => NodeStatus::Planned,
        other => return Err(data_error(FILE, format!("unknown status \"{other}\""))),
    })
}

/// `NDPR:0.955;DYTB:0.045` as shares.
fn parse_shares(text: &str) -> Result<Vec<Share>, DeriveError> {
    text.split(';')
        .map(|pair| {
            let (commodity, share) = pair
                .split_once(':')
                .ok_or_else(|| data_error(FILE, format!("`composition` \"{text}\"")))?;
            let share = share
                .trim()
                .parse::<f64>()
                .map_err(|_| data_error(FILE, format!("`composition` \"{text}\"")))?;
            Ok(Share {
                commodity: commodity.trim().to_owned(),
                share,
            })
        })
        .collect()
}

impl NodeMaker<'_, '_> {
    fn node(&self, row: &Record) -> Result<Node, DeriveError> {
        match row.text("stage") {
            "mine" => self.mine(row),
            "refinery" => self.refinery(row),
            "magnet" => self.magnet_plant(row),
            other => Err(data_error(FILE, format!("unknown stage \"{other}\""))),
        }
    }

    fn ramp_for(&self, start_year: Option<i32>) -> u32 {
        match start_year {
            Some(start) if start > BASE_YEAR => self.parameters.ramp_years,
            _ => 0,
        }
    }

    fn number(&self, row: &Record, column: &str) -> Result<f64, DeriveError> {
        Ok(row.optional_number(self.table, column)?.unwrap_or(0.0))
    }

    fn composition_of(&self, ore_type: &str) -> Result<Vec<Share>, DeriveError> {
        let row = self
            .compositions
            .rows
            .iter()
            .find(|row| row.text("ore_type") == ore_type)
            .ok_or_else(|| data_error(FILE, format!("no ore type \"{ore_type}\"")))?;
        OXIDES
            .iter()
            .map(|oxide| {
                Ok(Share {
                    commodity: (*oxide).to_owned(),
                    share: row.number(self.compositions, oxide)?,
                })
            })
            .collect()
    }

    /// The fields every node takes from its row.
    fn base(
        &self,
        row: &Record,
        capacity_t_per_yr: f64,
        reported_output: Vec<ReportedOutput>,
        process: Process,
    ) -> Result<Node, DeriveError> {
        let start_year = row.optional_year(self.table, "start_year")?;
        let mut notes = row.text("notes").to_owned();
        let estimate = row.text("estimate");
        if !estimate.is_empty() {
            if !notes.is_empty() {
                notes.push_str(". ");
            }
            notes.push_str(&format!("Estimate: {estimate}"));
        }
        if let Some(start) = start_year
            && start > BASE_YEAR
        {
            notes.push_str(&format!(
                ". Ramp to nameplate over {} years from {start} (the baseline's rule)",
                self.parameters.ramp_years
            ));
        }
        Ok(Node {
            id: row.text("node_id").to_owned(),
            name: row.text("facility").to_owned(),
            operator: row.text("operator").to_owned(),
            country: row.text("iso3").to_owned(),
            status: status(row.text("status"))?,
            capacity_t_per_yr,
            start_year,
            ramp_years: self.ramp_for(start_year),
            expansions: Vec::new(),
            unit_cost_usd_per_kg: None,
            reported_output,
            process,
            source: self.citations.of(row.text("source"))?,
            notes,
        })
    }

    /// 2010 output by commodity, where above zero.
    fn outputs(&self, shares: &[Share], output_t: f64) -> Vec<ReportedOutput> {
        shares
            .iter()
            .map(|share| ReportedOutput {
                year: BASE_YEAR,
                commodity: share.commodity.clone(),
                t: share.share * output_t,
            })
            .filter(|output| output.t > 0.0)
            .collect()
    }

    /// A later phase from the `phase2_*` columns.
    fn phase2(&self, row: &Record) -> Result<Option<(i32, f64)>, DeriveError> {
        match row.optional_year(self.table, "phase2_year")? {
            Some(year) => Ok(Some((year, self.number(row, "phase2_added_t")?))),
            None => Ok(None),
        }
    }

    fn mine(&self, row: &Record) -> Result<Node, DeriveError> {
        let composition = self.composition_of(row.text("ore_type"))?;
        let capacity = self.number(row, "capacity_t")?;
        let outputs = self.outputs(&composition, self.number(row, "output_2010_t")?);
        let mut node = self.base(
            row,
            capacity,
            outputs,
            Process::Mine {
                ore_type: row.text("ore_type").to_owned(),
                composition,
            },
        )?;
        if let Some((year, added)) = self.phase2(row)? {
            node.expansions.push(Expansion {
                year,
                added_t_per_yr: added,
                ramp_years: self.ramp_for(Some(year)),
                source: node.source.clone(),
            });
        }
        Ok(node)
    }

    /// The mines a refinery names in `fed_by`.
    fn feeding_mines(&self, row: &Record) -> Result<Vec<&Record>, DeriveError> {
        row.text("fed_by")
            .split(';')
            .map(str::trim)
            .filter(|id| !id.is_empty())
            .map(|id| {
                self.table
                    .rows
                    .iter()
                    .find(|mine| mine.text("node_id") == id && mine.text("stage") == "mine")
                    .ok_or_else(|| data_error(FILE, format!("fed by an unknown mine \"{id}\"")))
            })
            .collect()
    }

    /// (composition, capacity, 2010 output, phase-2 capacity) of the separated oxide the
    /// feeding mines give, after process losses.
    fn fed_oxides(&self, row: &Record) -> Result<(Vec<Share>, f64, f64, f64), DeriveError> {
        let recovery = self.parameters.refinery_recovery;
        let mut content = vec![0.0; OXIDES.len()];
        let (mut capacity, mut output, mut phase2) = (0.0, 0.0, 0.0);
        for mine in self.feeding_mines(row)? {
            let mine_capacity = self.number(mine, "capacity_t")?;
            for (total, share) in content
                .iter_mut()
                .zip(self.composition_of(mine.text("ore_type"))?)
            {
                *total += share.share * mine_capacity;
            }
            capacity += mine_capacity * recovery;
            output += self.number(mine, "output_2010_t")? * recovery;
            phase2 += self.number(mine, "phase2_added_t")? * recovery;
        }
        let total: f64 = content.iter().sum();
        if total <= 0.0 {
            return Err(data_error(
                FILE,
                format!("{}: its mines have no capacity", row.text("node_id")),
            ));
        }
        let composition = OXIDES
            .iter()
            .zip(content)
            .map(|(oxide, t)| Share {
                commodity: (*oxide).to_owned(),
                share: t / total,
            })
            .collect();
        Ok((composition, capacity, output, phase2))
    }

    fn refinery(&self, row: &Record) -> Result<Node, DeriveError> {
        let separates: Vec<&str> = row.text("separates").split(';').map(str::trim).collect();
        let secondary = !row.text("composition").is_empty();
        let (composition, capacity, output, phase2_t) = if secondary {
            let capacity = self.number(row, "capacity_t")?;
            let output = self.number(row, "output_2010_t")?;
            (
                parse_shares(row.text("composition"))?,
                capacity,
                output,
                0.0,
            )
        } else {
            self.fed_oxides(row)?
        };
        let separated: Vec<Share> = composition
            .iter()
            .filter(|share| separates.contains(&share.commodity.as_str()) && share.share > 0.0)
            .cloned()
            .collect();
        let mut circuits: Vec<Circuit> = separated
            .iter()
            .map(|share| Circuit {
                commodity: share.commodity.clone(),
                capacity_t_per_yr: share.share * capacity,
                start_year: None,
                ramp_years: 0,
            })
            .collect();
        if let Some((year, _)) = self.phase2(row)? {
            circuits.extend(separated.iter().map(|share| Circuit {
                commodity: share.commodity.clone(),
                capacity_t_per_yr: share.share * phase2_t,
                start_year: Some(year),
                ramp_years: self.ramp_for(Some(year)),
            }));
        }
        let feed = if secondary {
            RefineryFeed::Secondary {
                composition: composition.clone(),
            }
        } else {
            RefineryFeed::Concentrate
        };
        let recovery = if secondary {
            1.0
        } else {
            self.parameters.refinery_recovery
        };
        let circuits_from_start: f64 = circuits
            .iter()
            .filter(|circuit| circuit.start_year.is_none())
            .map(|circuit| circuit.capacity_t_per_yr)
            .sum();
        let outputs = self.outputs(&separated, output);
        self.base(
            row,
            circuits_from_start,
            outputs,
            Process::Refinery {
                recovery,
                circuits,
                feed,
            },
        )
    }

    fn magnet_plant(&self, row: &Record) -> Result<Node, DeriveError> {
        let output = self.number(row, "output_2010_t")?;
        let outputs = if output > 0.0 {
            vec![ReportedOutput {
                year: BASE_YEAR,
                commodity: MAGNETS.to_owned(),
                t: output,
            }]
        } else {
            Vec::new()
        };
        let recipe = &self.parameters.recipe;
        self.base(
            row,
            self.number(row, "capacity_t")?,
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
        )
    }
}
