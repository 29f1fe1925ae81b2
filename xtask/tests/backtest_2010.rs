//! The 2010 world of the backtest is made from 2009/2010 facts by the baseline's rules
//! with the baseline's parameters (`xtask::backtest_2010`); its file in `scenarios/` is
//! checked byte for byte by `derivation.rs`.

use rareflow::model::{PolicyKind, Process, QuotaLimit, Scenario, Stage};

fn derived() -> Scenario {
    xtask::backtest_2010::derive(&xtask::default_data_dir()).expect("the 2010 world derives")
}

fn baseline() -> Scenario {
    xtask::derive_baseline(&xtask::default_data_dir()).expect("the baseline derives")
}

fn output_2010(scenario: &Scenario, stage: Stage, country: Option<&str>) -> f64 {
    scenario
        .nodes
        .iter()
        .filter(|node| node.process.stage() == stage)
        .filter(|node| country.is_none_or(|c| node.country == c))
        .flat_map(|node| &node.reported_output)
        .filter(|output| output.year == 2010)
        .map(|output| output.t)
        .sum()
}

#[test]
fn the_shipped_2010_world_is_exactly_what_the_data_gives() {
    let derived = rareflow::io::to_ron_string(&derived()).expect("serialises");
    let shipped = std::fs::read_to_string(
        xtask::default_scenarios_dir().join(xtask::backtest_2010::FILE_NAME),
    )
    .expect("scenarios/backtest-china-quotas-2010.ron is in the repository");
    assert!(
        derived == shipped,
        "scenarios/{} differs from what assets/data/backtest/2010 gives; run `cargo xtask \
         derive` and review the diff",
        xtask::backtest_2010::FILE_NAME
    );
}

#[test]
fn the_2010_world_has_the_2010_facts() {
    let world = derived();
    assert_eq!(world.meta.base_year, 2010);
    assert_eq!((world.meta.first_year, world.meta.last_year), (2010, 2015));
    // SMM: China mined 130 kt; USGS shares put India, Brazil and Malaysia at 2 %, 0.42 % and
    // 0.27 % of the world.
    assert!((output_2010(&world, Stage::Mine, Some("CHN")) - 130_000.0).abs() < 1.0);
    assert!((output_2010(&world, Stage::Mine, None) - 133_600.0).abs() < 1.0);
    assert_eq!(output_2010(&world, Stage::Mine, Some("USA")), 0.0);
    assert_eq!(output_2010(&world, Stage::Mine, Some("AUS")), 0.0);
    // China.org.cn: 98.2 kt of sintered NdFeB, China 79.4 %, Japan 19.3 %, Europe 1.3 %.
    assert!((output_2010(&world, Stage::Magnet, None) - 98_200.0).abs() < 1.0);
    assert!((output_2010(&world, Stage::Magnet, Some("JPN")) - 18_950.0).abs() < 1.0);
}

#[test]
fn announced_projects_enter_at_their_announced_years_and_sizes() {
    let world = derived();
    let mt_weld = world.node("MINE-AUS-mt_weld").expect("Mt Weld");
    assert_eq!(mt_weld.start_year, Some(2011));
    assert_eq!(mt_weld.capacity_t_per_yr, 11_000.0);
    assert_eq!(mt_weld.expansions[0].year, 2012);
    assert_eq!(mt_weld.built_capacity_in(2013), 22_000.0);
    let phoenix = world.node("MINE-USA-mountain_pass").expect("Mountain Pass");
    assert_eq!(phoenix.start_year, Some(2012));
    assert_eq!(phoenix.built_capacity_in(2013), 19_050.0);
    let lamp = world.node("SEP-MYS-lynas_lamp").expect("LAMP");
    let Process::Refinery { circuits, .. } = &lamp.process else {
        panic!("LAMP separates");
    };
    // No Dy/Tb or Y circuit: Lynas separated its heavy rare earths only from 2025.
    assert!(
        circuits
            .iter()
            .all(|c| c.commodity == "NDPR" || c.commodity == "LACE")
    );
    // 22,000 t/yr of concentrate less 5 % losses, by Mt Weld's composition.
    let separated = lamp.built_capacity_in(2013);
    assert!(
        (separated - 22_000.0 * 0.95 * (0.24 + 0.7545)).abs() < 1.0,
        "{separated}"
    );
}

#[test]
fn chinas_export_quotas_are_the_event() {
    let world = derived();
    let quota = |year: i32| -> f64 {
        world
            .policies
            .iter()
            .filter(|p| p.is_active_in(year))
            .filter_map(|p| match &p.kind {
                PolicyKind::ExportQuota {
                    exporter,
                    limit: QuotaLimit::Tonnes(t),
                    ..
                } if exporter == "CHN" => Some(*t),
                _ => None,
            })
            .sum()
    };
    assert_eq!(quota(2010), 30_258.0);
    assert_eq!(quota(2011), 30_184.0);
    assert_eq!(quota(2012), 30_996.0);
    assert_eq!(quota(2013), 30_999.0);
    assert_eq!(quota(2014), 30_611.0);
    assert_eq!(quota(2015), 0.0, "abolished from 2015");
}

#[test]
fn demand_adds_up_to_the_2010_totals() {
    let world = derived();
    let recipe = 0.25 + 0.009;
    let reo = |region: Option<&str>| -> f64 {
        world
            .demand
            .iter()
            .filter(|d| region.is_none_or(|r| d.region == r))
            .map(|d| {
                if d.commodity == "NDFEB" {
                    d.reference_t_per_yr * recipe
                } else {
                    d.reference_t_per_yr
                }
            })
            .sum()
    };
    // Kingsnorth: 133 kt used worldwide (magnets counted by their oxide).
    assert!((reo(None) - 133_000.0).abs() < 20.0, "{}", reo(None));
    let magnets: f64 = world
        .demand
        .iter()
        .filter(|d| d.commodity == "NDFEB")
        .map(|d| d.reference_t_per_yr)
        .sum();
    assert!((magnets - 98_200.0).abs() < 1.0, "{magnets}");
    // China: 73 kt in 2009 grown 11 %, less the magnets China exported (CCR: 13,886 t), plus
    // the oxide its magnet plants bought is counted where the magnets are used.
    let china_magnets = world
        .demand
        .iter()
        .find(|d| d.region == "CHN" && d.commodity == "NDFEB")
        .expect("China's magnets")
        .reference_t_per_yr;
    assert!((china_magnets - (77_970.0 - 13_885.92)).abs() < 0.1);
}

#[test]
fn the_parameters_are_the_baselines() {
    let (world, baseline) = (derived(), baseline());
    for commodity in ["NDPR", "DYTB", "Y", "LACE", "NDFEB"] {
        let curve = |scenario: &Scenario| {
            let d = scenario
                .demand
                .iter()
                .find(|d| d.commodity == commodity)
                .expect("a demand row");
            (d.elasticity, d.growth_per_yr, d.form, d.long_run)
        };
        assert_eq!(curve(&world), curve(&baseline), "{commodity}");
    }
    assert_eq!(
        world.trade.border_usd_per_kg,
        baseline.trade.border_usd_per_kg
    );
    assert_eq!(
        world.trade.per_1000km_usd_per_kg,
        baseline.trade.per_1000km_usd_per_kg
    );
    let recipe = |scenario: &Scenario| {
        scenario.nodes.iter().find_map(|n| match &n.process {
            Process::MagnetPlant { recipe, .. } => Some(recipe.clone()),
            _ => None,
        })
    };
    assert_eq!(recipe(&world), recipe(&baseline));
    // 2009 prices replace 2024's: Dy/Tb weighted as in the baseline.
    let price = |id: &str| {
        world
            .demand
            .iter()
            .find(|d| d.commodity == id)
            .expect("row")
            .reference_price_usd_per_kg
    };
    assert_eq!(price("NDPR"), 18.88);
    assert_eq!(price("DYTB"), 155.06);
    assert_eq!(price("LACE"), 4.38);
}

#[test]
fn every_source_key_of_the_2010_world_is_listed() {
    // Deriving resolves every key; an unknown one is an error naming it.
    let data = tempfile::tempdir().expect("temp dir");
    let source = xtask::default_data_dir();
    let copy_dir = |from: &std::path::Path, to: &std::path::Path| {
        std::fs::create_dir_all(to).expect("dir");
        for entry in std::fs::read_dir(from).expect("read") {
            let entry = entry.expect("entry");
            if entry.file_type().expect("type").is_file() {
                std::fs::copy(entry.path(), to.join(entry.file_name())).expect("copy");
            }
        }
    };
    copy_dir(&source, data.path());
    let folder = xtask::backtest_2010::folder(data.path());
    copy_dir(&xtask::backtest_2010::folder(&source), &folder);
    let nodes = folder.join("nodes.csv");
    let text = std::fs::read_to_string(&nodes).expect("read");
    std::fs::write(
        &nodes,
        text.replace(",jmb_lynas_2010\n", ",jmb_lynas_2010_typo\n"),
    )
    .expect("write");
    let error = xtask::backtest_2010::derive(data.path())
        .expect_err("an unknown source key is an error")
        .to_string();
    assert!(error.contains("jmb_lynas_2010_typo"), "{error}");
}

#[test]
fn expansion_and_contracts_follow_the_baselines_rules() {
    let world = derived();
    let option = |host: &str| {
        world
            .expansion
            .iter()
            .find(|o| o.host == host)
            .unwrap_or_else(|| panic!("an option hosted by {host}"))
    };
    // The baseline's host-specific rows: China's light ore may step +45 kt a year, its
    // ion-adsorption clays (flat quota) 2 kt.
    assert_eq!(
        option("MINE-CHN-light_ree_mines").max_build_t_per_yr,
        45_000.0
    );
    assert_eq!(
        option("MINE-CHN-ion_adsorption_clay").max_build_t_per_yr,
        2_000.0
    );
    let china_magnets = option("MAG-CHN-ndfeb");
    assert_eq!(
        (
            china_magnets.capital_cost_usd_per_t_per_yr,
            china_magnets.lead_years
        ),
        (12_000.0, 1)
    );
    let japan_magnets = option("MAG-JPN-ndfeb");
    assert_eq!(
        (
            japan_magnets.capital_cost_usd_per_t_per_yr,
            japan_magnets.lead_years
        ),
        (90_000.0, 2)
    );
    // Projects not operating in 2010 host nothing; recycling and stockpiles neither.
    for host in [
        "MINE-AUS-mt_weld",
        "SEP-MYS-lynas_lamp",
        "SEP-USA-mountain_pass_stockpile",
    ] {
        assert!(world.expansion.iter().all(|o| o.host != host), "{host}");
    }
    let ids: Vec<&str> = world.contracts.iter().map(|c| c.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "mt-weld-to-lamp",
            "mountain-pass-own-separation",
            "lynas-sojitz-japan-ndpr",
            "lynas-sojitz-japan-lace"
        ]
    );
}
