//! Whole-item edits (add, replace, delete a node, a policy, a demand row; the scenario's
//! name): accepted when the scenario stays valid, refused with the item and field named
//! otherwise, and a deleted node takes what refers to it along.

use rareflow::model::{Edit, EditError, Stage, item_edits};

fn baseline() -> rareflow::model::Scenario {
    rareflow::baseline().expect("baseline")
}

#[test]
fn a_duplicated_node_is_added_under_a_new_id_and_a_bad_one_is_refused_by_name() {
    let mut scenario = baseline();
    let lynas = scenario
        .nodes
        .iter()
        .find(|n| n.id.starts_with("SEP-MYS-lynas"))
        .expect("Lynas")
        .clone();
    let mut copy = lynas.clone();
    copy.name = "Lynas Texas".to_owned();
    copy.id = item_edits::new_node_id(&scenario, Stage::Refinery, "USA", &copy.name);
    copy.country = "USA".to_owned();
    assert_eq!(copy.id, "SEP-USA-lynas_texas");
    scenario
        .apply(&Edit::PutNode(Box::new(copy.clone())))
        .expect("a valid node is added");
    assert_eq!(scenario.node(&copy.id), Some(&copy));

    let mut bad = copy.clone();
    bad.id = "SEP-USA-bad".to_owned();
    bad.capacity_t_per_yr = -5.0;
    let before = scenario.clone();
    let refused = scenario.apply(&Edit::PutNode(Box::new(bad)));
    match refused {
        Err(EditError::Invalid(problem)) => {
            assert!(problem.contains("SEP-USA-bad"), "{problem}");
            assert!(problem.contains("capacity_t_per_yr"), "{problem}");
        }
        other => panic!("refused with the field named, got {other:?}"),
    }
    assert_eq!(scenario, before, "a refused edit changes nothing");
}

#[test]
fn deleting_mt_weld_takes_its_captive_chain_along_and_leaves_nothing_dangling() {
    let mut scenario = baseline();
    let mt_weld = scenario
        .nodes
        .iter()
        .find(|n| n.id.starts_with("MINE-AUS-mt_weld"))
        .expect("Mt Weld")
        .id
        .clone();
    let dependants = item_edits::node_dependants(&scenario, &mt_weld);
    assert!(
        dependants
            .iter()
            .any(|d| d.starts_with("contract: Mt Weld")),
        "{dependants:?}"
    );
    scenario
        .apply(&Edit::RemoveNode {
            node: mt_weld.clone(),
        })
        .expect("deleted");
    assert!(scenario.node(&mt_weld).is_none());
    assert!(rareflow::model::validate(&scenario).is_empty());
    assert!(
        scenario.apply(&Edit::RemoveNode { node: mt_weld }).is_err(),
        "a node deleted twice is refused"
    );
}

#[test]
fn a_policy_with_a_dangling_exporter_is_refused_and_a_good_one_replaced_whole() {
    let mut scenario = baseline();
    let mut policy = scenario.policies[0].clone();
    policy.label = "Changed in every term".to_owned();
    policy.start_year = 2030;
    scenario
        .apply(&Edit::PutPolicy(Box::new(policy.clone())))
        .expect("replaced");
    assert_eq!(scenario.policy(&policy.id), Some(&policy));
    assert_eq!(
        scenario
            .policies
            .iter()
            .filter(|p| p.id == policy.id)
            .count(),
        1
    );

    let mut dangling = policy.clone();
    dangling.id = "user-dangling".to_owned();
    dangling.kind = rareflow::model::PolicyKind::ExportBan {
        exporter: "XXX".to_owned(),
        goods: Default::default(),
        destinations: rareflow::model::Destinations::All,
    };
    let refused = scenario.apply(&Edit::PutPolicy(Box::new(dangling)));
    assert!(
        matches!(&refused, Err(EditError::Invalid(p)) if p.contains("user-dangling") && p.contains("XXX")),
        "{refused:?}"
    );
}

#[test]
fn the_scenario_can_be_renamed_and_described() {
    let mut scenario = baseline();
    scenario
        .apply(&Edit::SetScenarioInfo {
            name: "Lynas expands".to_owned(),
            description: "Lynas doubles Malaysia from 2027.".to_owned(),
        })
        .expect("renamed");
    assert_eq!(scenario.meta.name, "Lynas expands");
    assert!(
        scenario
            .apply(&Edit::SetScenarioInfo {
                name: "  ".to_owned(),
                description: String::new(),
            })
            .is_err(),
        "a blank name is refused"
    );
}

#[test]
fn a_trade_route_override_is_set_and_one_to_an_unknown_country_refused() {
    let mut scenario = baseline();
    let mut costs = scenario.trade.clone();
    costs.overrides.push(rareflow::model::TradeCostOverride {
        from: "AUS".to_owned(),
        to: "JPN".to_owned(),
        commodity: Some("NDPR".to_owned()),
        usd_per_kg: 2.5,
        source: "test".to_owned(),
    });
    scenario
        .apply(&Edit::SetTradeCosts(Box::new(costs.clone())))
        .expect("a valid route");
    assert_eq!(scenario.trade, costs);
    costs.overrides[0].to = "XXX".to_owned();
    let before = scenario.clone();
    let refused = scenario.apply(&Edit::SetTradeCosts(Box::new(costs)));
    assert!(
        matches!(&refused, Err(EditError::Invalid(p)) if p.contains("AUS to XXX")),
        "{refused:?}"
    );
    assert_eq!(scenario, before);
}

#[test]
fn a_deleted_plants_expansion_option_moves_to_another_plant_of_its_kind_in_the_country() {
    let mut scenario = baseline();
    let mt_weld = "MINE-AUS-mt_weld_lynas";
    let hosted: Vec<String> = scenario
        .expansion
        .iter()
        .filter(|o| o.host == mt_weld)
        .map(|o| o.id.clone())
        .collect();
    assert!(
        !hosted.is_empty(),
        "Mt Weld hosts Australia's mining option"
    );
    scenario
        .apply(&Edit::RemoveNode {
            node: mt_weld.to_owned(),
        })
        .expect("deleted");
    for id in hosted {
        let option = scenario
            .expansion
            .iter()
            .find(|o| o.id == id)
            .expect("the option stays");
        let host = scenario.node(&option.host).expect("on a plant that exists");
        assert_eq!(host.country, "AUS");
        assert_eq!(host.process.stage(), Stage::Mine);
    }
}
