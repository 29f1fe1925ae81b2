//! Reference prices (`prices.csv`), demand (`demand.csv`) and trade costs: the market side
//! of the baseline, with the constants of `assumptions.csv`.

use std::collections::BTreeMap;

use rareflow::model::{Demand, DemandForm, LongRunResponse, TradeCosts};

use crate::assumptions::Assumption;
use crate::table::{DeriveError, Row, Table, data_error};
use crate::{Inputs, MAGNETS};

/// A reference price (US$/kg) of a commodity, with how it was obtained.
pub struct ReferencePrice {
    pub usd_per_kg: f64,
    pub source: String,
    pub notes: String,
}

/// Reference prices by commodity id.
pub type ReferencePrices = BTreeMap<String, ReferencePrice>;

fn round_cents(usd_per_kg: f64) -> f64 {
    (usd_per_kg * 100.0).round() / 100.0
}

/// The 2024 Argus FOB China annual average of a price series, with its source.
fn argus_2024(table: &Table, series: &str) -> Result<(f64, String), DeriveError> {
    let row = table
        .rows
        .iter()
        .find(|row| {
            row.text("commodity") == series
                && row.text("date") == "2024 avg"
                && row.text("market").starts_with("FOB China")
        })
        .ok_or_else(|| data_error(&table.file, format!("no 2024 average for {series}")))?;
    Ok((
        row.number(table, "usd_per_kg_mid")?,
        row.text("source").to_owned(),
    ))
}

/// The prices of the model's groups from their members' prices, by the rules of
/// [`reference_prices`], with the assumptions they used (for the notes that cite them).
pub struct Composites<'a> {
    pub dytb: f64,
    pub lace: f64,
    pub magnet: f64,
    pub dy_t_per_month: f64,
    pub tb_t_per_month: f64,
    pub conversion: Assumption<'a>,
}

/// [`Composites`] from NdPr, (Dy, Tb) and (La, Ce) prices.
pub fn composite_prices<'a>(
    inputs: &'a Inputs<'_>,
    ndpr: f64,
    (dy, tb): (f64, f64),
    (la, ce): (f64, f64),
) -> Result<Composites<'a>, DeriveError> {
    let assumptions = &inputs.assumptions;
    let dy_weight = assumptions.get_for("dytb_price_weight_t_per_month", "Dy2O3")?;
    let tb_weight = assumptions.get_for("dytb_price_weight_t_per_month", "Tb4O7")?;
    let (dy_t_per_month, tb_t_per_month) = (dy_weight.value, tb_weight.value);
    let dytb = round_cents(
        (dy * dy_t_per_month + tb * tb_t_per_month) / (dy_t_per_month + tb_t_per_month),
    );
    let lace = round_cents((la + ce) / 2.0);
    let conversion = assumptions.get("magnet_conversion_usd_per_kg")?;
    let recipe = &inputs.recipe;
    let magnet =
        (recipe.ndpr_t_per_t * ndpr + recipe.dytb_t_per_t * dytb + conversion.value).round();
    Ok(Composites {
        dytb,
        lace,
        magnet,
        dy_t_per_month,
        tb_t_per_month,
        conversion,
    })
}

/// 2024 reference prices from `prices.csv` (Argus FOB China annual averages):
///
/// * NdPr: NdPr oxide.
/// * Dy/Tb: Dy2O3 and Tb4O7 weighted by China's 2024 output
///   (`dytb_price_weight_t_per_month` in `assumptions.csv`: 214 t Dy : 40.8 t Tb a month,
///   SMM), rounded to cents.
/// * Y: Y2O3.
/// * La/Ce: mean of La2O3 and CeO2 (the group is mostly La and Ce by tonnage), rounded to
///   cents.
/// * NdFeB magnets: no price in the data. ESTIMATE: oxide content at the 2024 prices by the
///   magnet recipe plus `magnet_conversion_usd_per_kg` for metal making, sintering and
///   machining, rounded to whole dollars.
pub fn reference_prices(inputs: &Inputs<'_>) -> Result<ReferencePrices, DeriveError> {
    let table = &inputs.data.prices;
    let (ndpr, ndpr_source) = argus_2024(table, "NdPr oxide")?;
    let (dy, dy_source) = argus_2024(table, "Dy2O3")?;
    let (tb, _) = argus_2024(table, "Tb4O7")?;
    let (y, y_source) = argus_2024(table, "Y2O3")?;
    let (la, la_source) = argus_2024(table, "La2O3")?;
    let (ce, _) = argus_2024(table, "CeO2")?;
    let Composites {
        dytb,
        lace,
        magnet,
        dy_t_per_month,
        tb_t_per_month,
        conversion,
    } = composite_prices(inputs, ndpr, (dy, tb), (la, ce))?;
    let price = |usd_per_kg: f64, source: &str, notes: String| ReferencePrice {
        usd_per_kg,
        source: source.to_owned(),
        notes,
    };
    Ok(BTreeMap::from([
        (
            "NDPR".to_owned(),
            price(
                ndpr,
                &ndpr_source,
                "NdPr oxide, Argus FOB China 2024 average".to_owned(),
            ),
        ),
        (
            "DYTB".to_owned(),
            price(
                dytb,
                &dy_source,
                format!(
                    "Dy2O3 {dy} $/kg and Tb4O7 {tb} $/kg (Argus FOB China 2024 averages) weighted \
                     by China's 2024 output of {dy_t_per_month} t Dy : {tb_t_per_month} t Tb a \
                     month (SMM)"
                ),
            ),
        ),
        (
            "Y".to_owned(),
            price(
                y,
                &y_source,
                "Y2O3 99.999 %, Argus FOB China 2024 average".to_owned(),
            ),
        ),
        (
            "LACE".to_owned(),
            price(
                lace,
                &la_source,
                format!(
                    "mean of La2O3 {la} $/kg and CeO2 {ce} $/kg (Argus FOB China 2024 averages)"
                ),
            ),
        ),
        (
            MAGNETS.to_owned(),
            price(
                magnet,
                conversion.citation,
                format!(
                    "ESTIMATE (no magnet price in the data): oxide content at 2024 prices plus \
                     {} $/kg for {}",
                    conversion.value, conversion.notes
                ),
            ),
        ),
    ]))
}

/// A fraction as a percentage for text: 0.03 → "3".
fn percent(fraction: f64) -> String {
    let percent = (fraction * 100.0 * 1e6).round() / 1e6;
    format!("{percent}")
}

/// A commodity's demand curve (ESTIMATE): short-run elasticity, yearly growth, the
/// constant-elasticity form with its price cap and the long-run response, with the reasons
/// as the scenario states them.
struct CurveTerms {
    elasticity: f64,
    growth_per_yr: f64,
    form: DemandForm,
    long_run: LongRunResponse,
    why: String,
}

fn demand_curve(inputs: &Inputs<'_>, commodity: &str) -> Result<CurveTerms, DeriveError> {
    let assumptions = &inputs.assumptions;
    let elasticity = assumptions.get_for("demand_elasticity", commodity)?;
    let growth = assumptions.get_for("demand_growth_per_yr", commodity)?;
    let long_run = assumptions.get_for("demand_long_run_elasticity", commodity)?;
    let adjustment = assumptions.get_for("demand_adjustment_per_yr", commodity)?;
    let cap = assumptions.get_for("demand_price_cap_multiple", commodity)?;
    let mut why = format!(
        "constant elasticity {} ({}), growth {} %/yr",
        elasticity.value,
        elasticity.notes,
        percent(growth.value)
    );
    if !growth.notes.is_empty() {
        why.push_str(&format!(" ({})", growth.notes));
    }
    why.push_str(&format!(
        "; capped at {} times the reference price ({}); long-run elasticity {} ({}), {} % of the \
         gap closed a year ({})",
        cap.value,
        cap.notes,
        long_run.value,
        long_run.notes,
        percent(adjustment.value),
        adjustment.notes
    ));
    Ok(CurveTerms {
        elasticity: elasticity.value,
        growth_per_yr: growth.value,
        form: DemandForm::ConstantElasticity {
            price_cap_multiple: cap.value,
        },
        long_run: LongRunResponse {
            elasticity: long_run.value,
            adjustment_per_yr: adjustment.value,
        },
        why,
    })
}

/// `demand.csv` to the model's demand: oxide rows as they are; magnet NdPr rows become
/// NdFeB demand (t REO / the recipe's NdPr share). Magnet Dy/Tb rows are folded in: they
/// must be the recipe's Dy/Tb share of the same magnets.
pub fn demand(inputs: &Inputs<'_>, prices: &ReferencePrices) -> Result<Vec<Demand>, DeriveError> {
    let table = &inputs.data.demand;
    let recipe = &inputs.recipe;
    let mut rows_out = Vec::new();
    let mut magnet_dytb: BTreeMap<String, f64> = BTreeMap::new();
    for row in &table.rows {
        let region = row.text("region").to_owned();
        let group = row.text("commodity_group");
        let t_reo = row.number(table, "demand_2024_t_reo")?;
        let (commodity, reference_t) = match (row.text("stage"), group) {
            ("oxide", _) => (group.to_owned(), t_reo),
            ("magnet", "NDPR") => (MAGNETS.to_owned(), t_reo / recipe.ndpr_t_per_t),
            ("magnet", "DYTB") => {
                magnet_dytb.insert(region, t_reo);
                continue;
            }
            (stage, _) => {
                return Err(data_error(
                    &table.file,
                    format!("unexpected stage/group {stage}/{group}"),
                ));
            }
        };
        let price = prices.get(&commodity).ok_or_else(|| {
            data_error(&table.file, format!("no reference price for {commodity}"))
        })?;
        let curve = demand_curve(inputs, &commodity)?;
        let conversion = if commodity == MAGNETS {
            format!(
                "NdPr for magnets {t_reo} t REO / {} t per t NdFeB. ",
                recipe.ndpr_t_per_t
            )
        } else {
            String::new()
        };
        rows_out.push(Demand {
            region,
            commodity,
            reference_t_per_yr: reference_t,
            reference_price_usd_per_kg: price.usd_per_kg,
            elasticity: curve.elasticity,
            growth_per_yr: curve.growth_per_yr,
            form: curve.form,
            long_run: Some(curve.long_run),
            source: format!("{} | price: {}", row.text("source"), price.source),
            notes: format!(
                "{conversion}End uses: {}. {}. Price: {}. Demand curve: {} (ESTIMATE).",
                row.text("end_uses"),
                row.text("reasoning"),
                price.notes,
                curve.why
            ),
        });
    }
    for demand in rows_out.iter().filter(|d| d.commodity == MAGNETS) {
        let dytb = magnet_dytb.get(&demand.region).copied().unwrap_or(0.0);
        let expected = demand.reference_t_per_yr * recipe.dytb_t_per_t;
        if (dytb - expected).abs() > 0.01 * expected + 1.0 {
            return Err(data_error(
                &table.file,
                format!(
                    "{}: magnet Dy/Tb {dytb} t is not the recipe's {expected:.0} t",
                    demand.region
                ),
            ));
        }
    }
    Ok(rows_out)
}

/// Transport between countries (ESTIMATE), from `assumptions.csv`: a container of 20 t from
/// Shanghai to Rotterdam cost about 2,000–4,000 US$ in 2024, i.e. 0.1–0.2 $/kg, plus
/// handling and insurance.
pub fn trade_costs(inputs: &Inputs<'_>) -> Result<TradeCosts, DeriveError> {
    let assumptions = &inputs.assumptions;
    let border = assumptions.get("transport_border_usd_per_kg")?;
    let distance = assumptions.get("transport_distance_usd_per_kg_per_1000km")?;
    let domestic = assumptions.get("transport_domestic_usd_per_kg")?;
    Ok(TradeCosts {
        border_usd_per_kg: border.value,
        per_1000km_usd_per_kg: distance.value,
        domestic_usd_per_kg: domestic.value,
        overrides: Vec::new(),
        source: format!(
            "{}: {:.2} $/kg {} plus {:.2} $/kg per 1,000 km {}; {:.2} $/kg {}",
            border.citation,
            border.value,
            border.notes,
            distance.value,
            distance.notes,
            domestic.value,
            domestic.notes
        ),
    })
}
