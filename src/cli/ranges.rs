//! `rareflow ranges`: a scenario's uncertain inputs as a table, with the data's default
//! ranges added on request.

use std::fmt::Write as _;
use std::path::Path;

use super::{CliError, open};
use crate::model::UncertainInput;
use crate::uncertainty::sampler::quantile;
use crate::uncertainty::{InputDraw, missing_default_ranges};

/// The report of `rareflow ranges FILE [--defaults] [--write OUT]`; with `write`, the
/// scenario with the listed ranges is saved there too.
pub fn ranges_report(
    file: &Path,
    defaults: bool,
    write: Option<&Path>,
) -> Result<String, CliError> {
    let scenario = open(file)?;
    let added = if defaults {
        missing_default_ranges(&scenario)
    } else {
        Vec::new()
    };
    let written = match write {
        Some(path) => {
            let mut ranged = scenario.clone();
            ranged.uncertainty.extend(added.iter().cloned());
            crate::io::save(path, &ranged)?;
            format!("wrote {}\n", path.display())
        }
        None => String::new(),
    };
    let mut out = format!(
        "{}: {} uncertain input(s): {} in the file, {} default\n",
        scenario.meta.name,
        scenario.uncertainty.len() + added.len(),
        scenario.uncertainty.len(),
        added.len()
    );
    if scenario.uncertainty.is_empty() && added.is_empty() {
        out.push_str("(no ranges; --defaults adds the data's default ranges)\n");
        out.push_str(&written);
        return Ok(out);
    }
    let rows: Vec<(&UncertainInput, &str)> = scenario
        .uncertainty
        .iter()
        .map(|input| (input, "file"))
        .chain(added.iter().map(|input| (input, "default")))
        .collect();
    let id_width = rows.iter().map(|(input, _)| input.id.chars().count()).max();
    let id_width = id_width.unwrap_or(0).max(5);
    let _ = writeln!(
        out,
        "{:<id_width$} {:<22} {:<10} {:>7} {:>7} {:>7}  {:<7} source",
        "input", "target", "distrib.", "P5", "P50", "P95", "from"
    );
    for (input, from) in rows {
        let _ = writeln!(out, "{}", range_row(input, from, id_width));
    }
    out.push_str(
        "P5/P50/P95: the distribution's 5 %, 50 % and 95 % points, as multipliers of the \
         scenario's value (×) or years of slip (y).\n",
    );
    out.push_str(&written);
    Ok(out)
}

fn range_row(input: &UncertainInput, from: &str, id_width: usize) -> String {
    let point = |probability: f64| {
        quantile(&input.distribution, probability).map_or_else(|| "-".to_owned(), draw_text)
    };
    format!(
        "{:<id_width$} {:<22} {:<10} {:>7} {:>7} {:>7}  {:<7} {}",
        input.id,
        input.target.kind_name(),
        input.distribution.kind_name(),
        point(0.05),
        point(0.5),
        point(0.95),
        from,
        input.source
    )
}

/// A draw for people: `×0.80` or `+2 y`.
pub(super) fn draw_text(draw: InputDraw) -> String {
    match draw {
        InputDraw::Multiplier(factor) => format!("×{factor:.2}"),
        InputDraw::SlipYears(years) => format!("{years:+} y"),
    }
}
