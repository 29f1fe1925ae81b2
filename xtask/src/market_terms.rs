//! `expansion.csv` and `contracts.csv`: the capacity investors may add and the contracts
//! that hold trade on their routes.
//!
//! # Expansion options
//!
//! Every country gets one option per stage in which it runs an operating node in the base
//! year (for separation, one per circuit commodity of that node): new capacity of the kind
//! of its largest operating node there (the *host*). The option's capital cost, recovery
//! factor, lead time and build rate come from the `expansion.csv` row of its stage, area
//! (`CHN` or `elsewhere`) and commodity; a row naming a host overrides the others for that
//! host (China's ion-adsorption clays, whose quota stayed flat).
//!
//! # Contracts
//!
//! `contracts.csv` as it stands: seller and buyer (a node, a country or a region), stage,
//! commodity, volume (tonnes or a share of the seller's output), years, breach cost.

use rareflow::model::{
    Contract, ExpansionOption, Node, NodeStatus, Party, Process, RefineryFeed, Stage, Volume,
};

use crate::table::{DeriveError, Record, Row, Table, data_error};
use crate::{BASE_YEAR, Inputs};

/// The file names inside the data folder.
pub const EXPANSION_FILE: &str = "expansion.csv";
pub const CONTRACTS_FILE: &str = "contracts.csv";

fn stage_of(table: &Table, text: &str) -> Result<Stage, DeriveError> {
    Ok(match text {
        "mine" => Stage::Mine,
        "refinery" => Stage::Refinery,
        "magnet" => Stage::Magnet,
        other => {
            return Err(data_error(
                &table.file,
                format!("unknown stage \"{other}\""),
            ));
        }
    })
}

/// Whether a node can host expansion: operating in the base year, fed by concentrate if a
/// refinery (recycling grows with scrap, not with investment).
fn can_host(node: &Node) -> bool {
    let started = node.start_year.is_none_or(|year| year <= BASE_YEAR);
    let concentrate_fed = !matches!(
        &node.process,
        Process::Refinery {
            feed: RefineryFeed::Secondary { .. },
            ..
        }
    );
    node.status == NodeStatus::Operating
        && started
        && concentrate_fed
        && node.capacity_t_per_yr > 0.0
}

/// The hosts: per country and stage, the largest operating node; China's mines each host
/// their own ore (light and ion-adsorption clay deposits are different kinds).
fn hosts(nodes: &[Node]) -> Vec<&Node> {
    let mut hosts: Vec<&Node> = Vec::new();
    for node in nodes.iter().filter(|node| can_host(node)) {
        let stage = node.process.stage();
        let own_kind = node.country == "CHN" && stage == Stage::Mine;
        match hosts
            .iter_mut()
            .find(|host| !own_kind && host.country == node.country && host.process.stage() == stage)
        {
            Some(host) if node.capacity_t_per_yr > host.capacity_t_per_yr => *host = node,
            Some(_) => {}
            None => hosts.push(node),
        }
    }
    hosts
}

/// The `expansion.csv` row for a host (and circuit commodity): a row naming the host,
/// else the row of its stage, area and commodity.
fn expansion_row<'t>(
    table: &'t Table,
    host: &Node,
    commodity: Option<&str>,
) -> Result<&'t Record, DeriveError> {
    let stage = match host.process.stage() {
        Stage::Mine => "mine",
        Stage::Refinery => "refinery",
        Stage::Magnet => "magnet",
    };
    let area = if host.country == "CHN" {
        "CHN"
    } else {
        "elsewhere"
    };
    let matches = |row: &&Record| {
        row.text("stage") == stage
            && row.text("area") == area
            && row.text("commodity") == commodity.unwrap_or("")
    };
    table
        .rows
        .iter()
        .filter(matches)
        .find(|row| row.text("host") == host.id)
        .or_else(|| {
            table
                .rows
                .iter()
                .filter(matches)
                .find(|row| row.text("host").is_empty())
        })
        .ok_or_else(|| {
            data_error(
                &table.file,
                format!(
                    "no row for stage {stage}, area {area}, commodity \"{}\" (host {})",
                    commodity.unwrap_or(""),
                    host.id
                ),
            )
        })
}

fn option_for(
    inputs: &Inputs<'_>,
    table: &Table,
    host: &Node,
    commodity: Option<&str>,
    country_name: &str,
) -> Result<ExpansionOption, DeriveError> {
    let row = expansion_row(table, host, commodity)?;
    let stage = host.process.stage();
    let lead = row.number(table, "lead_years")?;
    if lead.fract() != 0.0 || lead < 0.0 {
        return Err(data_error(
            &table.file,
            format!("lead_years {lead} is not a whole number"),
        ));
    }
    let what = match (stage, commodity) {
        (Stage::Mine, _) => "mining".to_owned(),
        // The commodity as planners read it ("NdPr oxide separation"), not its id.
        (Stage::Refinery, Some(commodity)) => {
            let name = crate::catalogue::commodities()
                .into_iter()
                .find(|known| known.id == commodity)
                .map_or_else(|| commodity.to_owned(), |known| known.name);
            format!("{name} separation")
        }
        (Stage::Refinery, None) => "separation".to_owned(),
        (Stage::Magnet, _) => "magnet making".to_owned(),
    };
    let suffix = commodity
        .map(|c| format!("-{}", c.to_lowercase()))
        .unwrap_or_default();
    Ok(ExpansionOption {
        id: format!("expand-{}{suffix}", host.id),
        label: format!("New {what} in {country_name} (like {})", host.name),
        enabled: true,
        stage,
        country: host.country.clone(),
        host: host.id.clone(),
        commodity: commodity.map(str::to_owned),
        capital_cost_usd_per_t_per_yr: row.number(table, "capital_cost_usd_per_t_per_yr")?,
        capital_recovery_factor: row.number(table, "capital_recovery_factor")?,
        lead_years: lead as u32,
        max_build_t_per_yr: row.number(table, "max_build_t_per_yr")?,
        source: inputs.data.citation(row.text("source"))?.to_owned(),
        notes: row.text("notes").to_owned(),
    })
}

/// One expansion option per host (and circuit commodity).
pub fn expansion_options(
    inputs: &Inputs<'_>,
    nodes: &[Node],
) -> Result<Vec<ExpansionOption>, DeriveError> {
    let table = Table::read(inputs.data_dir, EXPANSION_FILE)?;
    let country_name = |iso3: &str| {
        inputs
            .data
            .countries
            .rows
            .iter()
            .find(|row| row.text("iso3") == iso3)
            .map_or_else(|| iso3.to_owned(), |row| row.text("name").to_owned())
    };
    let mut options = Vec::new();
    for host in hosts(nodes) {
        let name = country_name(&host.country);
        match &host.process {
            Process::Refinery { circuits, .. } => {
                let mut commodities: Vec<&str> =
                    circuits.iter().map(|c| c.commodity.as_str()).collect();
                commodities.dedup();
                for commodity in commodities {
                    options.push(option_for(inputs, &table, host, Some(commodity), &name)?);
                }
            }
            _ => options.push(option_for(inputs, &table, host, None, &name)?),
        }
    }
    Ok(options)
}

fn party(table: &Table, kind: &str, id: &str) -> Result<Party, DeriveError> {
    Ok(match kind {
        "node" => Party::Node(id.to_owned()),
        "country" => Party::Country(id.to_owned()),
        "region" => Party::Region(id.to_owned()),
        other => {
            return Err(data_error(
                &table.file,
                format!("unknown party kind \"{other}\""),
            ));
        }
    })
}

/// The contracts of `contracts.csv`.
pub fn contracts(inputs: &Inputs<'_>) -> Result<Vec<Contract>, DeriveError> {
    let table = Table::read(inputs.data_dir, CONTRACTS_FILE)?;
    let mut contracts = Vec::new();
    for row in &table.rows {
        let volume = row.number(&table, "volume")?;
        let volume = match row.text("volume_kind") {
            "tonnes" => Volume::Tonnes(volume),
            "share" => Volume::ShareOfOutput(volume),
            other => {
                return Err(data_error(
                    &table.file,
                    format!("{}: unknown volume kind \"{other}\"", row.text("id")),
                ));
            }
        };
        let commodity = row.text("commodity");
        contracts.push(Contract {
            id: row.text("id").to_owned(),
            label: row.text("label").to_owned(),
            enabled: true,
            seller: party(&table, row.text("seller_kind"), row.text("seller"))?,
            buyer: party(&table, row.text("buyer_kind"), row.text("buyer"))?,
            stage: stage_of(&table, row.text("stage"))?,
            commodity: (!commodity.is_empty()).then(|| commodity.to_owned()),
            volume,
            start_year: row
                .optional_year(&table, "start_year")?
                .ok_or_else(|| data_error(&table.file, "a contract has no start_year"))?,
            end_year: row.optional_year(&table, "end_year")?,
            breach_cost_usd_per_kg: row.number(&table, "breach_cost_usd_per_kg")?,
            source: inputs.data.citation(row.text("source"))?.to_owned(),
            notes: row.text("notes").to_owned(),
        });
    }
    Ok(contracts)
}
