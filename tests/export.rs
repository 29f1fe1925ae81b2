//! Exported CSV files and XLSX workbooks, read back, hold the solution's numbers.

use calamine::{Data, Reader as _, Xlsx, open_workbook};
use rareflow::export::{tables, write_csv_folder, write_xlsx};
use rareflow::solver::{Solution, SolverSettings, Years, solve_scenario};

fn solutions() -> (Solution, Solution) {
    let settings = SolverSettings::default();
    let baseline = rareflow::baseline().expect("loads");
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scenarios/china-heavy-ree-licensing-2025.ron");
    let licensing = rareflow::io::load(&path).expect("loads");
    (
        solve_scenario(&licensing, Years::All, &settings).expect("solves"),
        solve_scenario(&baseline, Years::All, &settings).expect("solves"),
    )
}

#[test]
fn csv_files_hold_every_market_flow_node_and_origin() {
    let (solution, reference) = solutions();
    let folder = tempfile::tempdir().expect("temp dir");
    let written =
        write_csv_folder(folder.path(), &tables(&solution, Some(&reference))).expect("writes");
    assert_eq!(written.len(), 7);

    let mut reader = csv::Reader::from_path(folder.path().join("markets.csv")).expect("reads");
    let mut rows = 0;
    for record in reader.records() {
        let record = record.expect("row");
        let year: i32 = record[0].parse().expect("year");
        let market = solution
            .year(year)
            .expect("year")
            .market(&record[1], &record[2])
            .expect("market");
        // Full precision round trip.
        assert_eq!(
            record[3].parse::<f64>().expect("consumption"),
            market.consumption_t
        );
        assert_eq!(
            record[5].parse::<f64>().expect("shortfall"),
            market.shortfall_t
        );
        assert_eq!(
            record[6].parse::<f64>().expect("price"),
            market.price_usd_per_kg
        );
        let pressure = solution
            .price_pressure(&reference, year, &record[1], &record[2])
            .expect("pressure");
        assert_eq!(record[7].parse::<f64>().expect("pressure"), pressure);
        rows += 1;
    }
    assert_eq!(
        rows,
        solution
            .years
            .iter()
            .map(|y| y.markets.len())
            .sum::<usize>()
    );

    let flows = csv::Reader::from_path(folder.path().join("flows.csv"))
        .expect("reads")
        .records()
        .count();
    assert_eq!(
        flows,
        solution.years.iter().map(|y| y.flows.len()).sum::<usize>()
    );
    let nodes = csv::Reader::from_path(folder.path().join("nodes.csv"))
        .expect("reads")
        .records()
        .count();
    assert_eq!(
        nodes,
        solution.years.iter().map(|y| y.nodes.len()).sum::<usize>()
    );
    let origins = csv::Reader::from_path(folder.path().join("origins.csv"))
        .expect("reads")
        .records()
        .count();
    assert_eq!(
        origins,
        solution
            .years
            .iter()
            .flat_map(|y| &y.markets)
            .map(|m| m.origin.len())
            .sum::<usize>()
    );
}

#[test]
fn the_workbook_has_a_sheet_per_table_with_the_same_numbers() {
    let (solution, reference) = solutions();
    let folder = tempfile::tempdir().expect("temp dir");
    let path = folder.path().join("results.xlsx");
    write_xlsx(&path, &tables(&solution, Some(&reference))).expect("writes");
    let mut workbook: Xlsx<_> = open_workbook(&path).expect("opens");
    assert_eq!(
        workbook.sheet_names(),
        [
            "years",
            "markets",
            "flows",
            "nodes",
            "origins",
            "expansions",
            "contracts"
        ]
    );
    let markets = workbook.worksheet_range("markets").expect("sheet");
    let mut rows = markets.rows();
    let header: Vec<String> = rows
        .next()
        .expect("header")
        .iter()
        .map(|c| c.to_string())
        .collect();
    assert_eq!(
        header[..4],
        ["year", "region", "commodity", "consumption_t"]
    );
    let mut checked = 0;
    for row in rows {
        let (
            Data::Float(year),
            Data::String(region),
            Data::String(commodity),
            Data::Float(consumption),
        ) = (&row[0], &row[1], &row[2], &row[3])
        else {
            panic!("unexpected cells: {row:?}");
        };
        let market = solution
            .year(*year as i32)
            .expect("year")
            .market(region, commodity)
            .expect("market");
        assert_eq!(*consumption, market.consumption_t);
        let Data::Float(price) = row[6] else {
            panic!("price")
        };
        assert_eq!(price, market.price_usd_per_kg);
        checked += 1;
    }
    assert_eq!(checked, 38 * 12);
    let years = workbook.worksheet_range("years").expect("sheet");
    assert_eq!(years.height(), 13, "a header and twelve years");
}
