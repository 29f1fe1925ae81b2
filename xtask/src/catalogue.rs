//! The scenario's lists of things: commodities, demand regions with their members,
//! countries, and the sources cited anywhere in the data.

use rareflow::model::{Commodity, CommodityKind, Country, Region, Source};

use crate::MAGNETS;
use crate::table::{Data, DeriveError, Row, Table, data_error};

/// The four oxide groups of the data and the magnet product.
pub fn commodities() -> Vec<Commodity> {
    let oxide = |id: &str, name: &str, notes: &str| Commodity {
        id: id.to_owned(),
        name: name.to_owned(),
        kind: CommodityKind::Oxide,
        unit: "t REO".to_owned(),
        notes: notes.to_owned(),
    };
    vec![
        oxide(
            "NDPR",
            "NdPr oxide",
            "Neodymium + praseodymium, the light magnet rare earths.",
        ),
        oxide(
            "DYTB",
            "Dy/Tb oxide",
            "Dysprosium + terbium, the heavy magnet rare earths.",
        ),
        oxide(
            "Y",
            "Yttrium oxide",
            "Ceramics, coatings, phosphors, lasers.",
        ),
        oxide(
            "LACE",
            "La/Ce and other oxides",
            "Lanthanum, cerium and every other rare earth (Sm, Gd, Eu, Ho, Er, ...).",
        ),
        Commodity {
            id: MAGNETS.to_owned(),
            name: "NdFeB magnets".to_owned(),
            kind: CommodityKind::Product,
            unit: "t NdFeB".to_owned(),
            notes: "Sintered and bonded neodymium-iron-boron magnets.".to_owned(),
        },
    ]
}

fn yes_or_no(table: &Table, column: &str, text: &str) -> Result<bool, DeriveError> {
    match text {
        "yes" => Ok(true),
        "no" => Ok(false),
        other => Err(data_error(
            &table.file,
            format!("`{column}` must be yes or no, not \"{other}\""),
        )),
    }
}

/// `regions.csv`: members are the `member_iso3` codes (`;`-separated); the prose
/// `members` column stays in the notes.
pub fn regions(table: &Table) -> Result<Vec<Region>, DeriveError> {
    table
        .rows
        .iter()
        .map(|row| {
            Ok(Region {
                id: row.text("region").to_owned(),
                name: row.text("name").to_owned(),
                lat: row.number(table, "lat")?,
                lon: row.number(table, "lon")?,
                notes: format!("Members: {}. {}", row.text("members"), row.text("source")),
                members: row
                    .text("member_iso3")
                    .split(';')
                    .map(str::trim)
                    .filter(|code| !code.is_empty())
                    .map(str::to_owned)
                    .collect(),
                rest_of_world: yes_or_no(table, "rest_of_world", row.text("rest_of_world"))?,
            })
        })
        .collect()
}

pub fn countries(table: &Table) -> Result<Vec<Country>, DeriveError> {
    table
        .rows
        .iter()
        .map(|row| {
            Ok(Country {
                iso3: row.text("iso3").to_owned(),
                name: row.text("name").to_owned(),
                region: row.text("demand_region").to_owned(),
                lat: row.number(table, "lat")?,
                lon: row.number(table, "lon")?,
            })
        })
        .collect()
}

/// Every row of `sources.csv`, in file order.
pub fn sources(data: &Data) -> Vec<Source> {
    data.sources
        .rows
        .iter()
        .map(|row| Source {
            key: row.text("key").to_owned(),
            citation: row.text("citation").to_owned(),
        })
        .collect()
}
