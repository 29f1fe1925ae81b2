//! File > Import tables, as a planner uses it: export the scenario's tables from the File
//! menu, edit them (ranges on guessed numbers too), import them, read the preview and apply
//! it as one undo step.
#![cfg(feature = "gui")]

mod ui_support;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable as _;
use rareflow::app::RareflowApp;
use ui_support::baseline_harness;

const LYNAS: &str = "SEP-MYS-lynas_malaysia_gebeng";

/// Types a path into the typed-path window: focus the field, then type.
fn type_path(harness: &mut Harness<'static, RareflowApp>, path: &std::path::Path) {
    harness.get_by_role(Role::TextInput).focus();
    harness.run_steps(1);
    harness
        .get_by_role(Role::TextInput)
        .type_text(path.to_str().expect("utf-8"));
}

/// File > `submenu` > `item`, then the path typed and `verb` pressed.
fn file_menu_with_path(
    harness: &mut Harness<'static, RareflowApp>,
    submenu: &str,
    item: &str,
    path: &std::path::Path,
    verb: &str,
) {
    harness.get_by_label("File").click();
    harness.run_steps(4);
    harness.get_by_label(submenu).click();
    harness.run_steps(4);
    harness.get_by_label(item).click();
    harness.run_steps(4);
    type_path(harness, path);
    harness.run_steps(1);
    harness.get_by_role_and_label(Role::Button, verb).click();
    harness.run_steps(4);
}

fn lynas_capacity(harness: &Harness<'static, RareflowApp>) -> f64 {
    harness
        .state()
        .document()
        .scenario()
        .node(LYNAS)
        .expect("node")
        .capacity_t_per_yr
}

#[test]
fn tables_exported_edited_and_imported_apply_as_one_undo_step() {
    let folder = tempfile::tempdir().expect("temp dir");
    let tables = folder.path().join("tables");
    let mut harness = baseline_harness();
    file_menu_with_path(
        &mut harness,
        "Export",
        "Scenario tables as CSV files...",
        &tables,
        "Save",
    );
    let nodes_csv = tables.join("nodes.csv");
    let nodes = std::fs::read_to_string(&nodes_csv).expect("exported");
    let edited = nodes.replacen(
        ",refinery,operating,22600.0,",
        ",refinery,operating,30000.0,",
        1,
    );
    assert_ne!(edited, nodes, "Lynas's row is there");
    std::fs::write(&nodes_csv, edited).expect("writes");

    file_menu_with_path(
        &mut harness,
        "Import tables",
        "From a CSV folder...",
        &tables,
        "Open",
    );
    let preview = harness.state().import_preview().expect("a preview").clone();
    assert_eq!(preview.refused, vec![]);
    assert_eq!(preview.changed.len(), 1);
    assert_eq!(preview.changed[0].id, LYNAS);
    harness.get_by_label("Changed (1)");
    harness.get_by_label(&format!("• nodes {LYNAS}: capacity_t_per_yr, circuits"));
    assert_eq!(
        lynas_capacity(&harness),
        22_600.0,
        "nothing changes before Apply"
    );

    harness.get_by_role_and_label(Role::Button, "Apply").click();
    harness.run_steps(3);
    assert!(
        harness.state().import_preview().is_none(),
        "the window closed"
    );
    assert_eq!(lynas_capacity(&harness), 30_000.0);
    assert_eq!(
        harness.state().document().undo_label(),
        Some("import of tables from tables")
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert_eq!(lynas_capacity(&harness), 22_600.0, "one undo step");
    assert!(!harness.state().document().is_dirty());
}

#[test]
fn refused_tables_show_the_reason_and_change_nothing() {
    let folder = tempfile::tempdir().expect("temp dir");
    let workbook = folder.path().join("scenario.xlsx");
    let tables = folder.path().join("tables");
    let baseline = rareflow::baseline().expect("baseline");
    rareflow::scenario_tables::export_tables(
        &baseline,
        &rareflow::scenario_tables::TablesLocation::Xlsx(workbook.clone()),
    )
    .expect("writes");
    rareflow::scenario_tables::export_tables(
        &baseline,
        &rareflow::scenario_tables::TablesLocation::CsvFolder(tables.clone()),
    )
    .expect("writes");
    let nodes_csv = tables.join("nodes.csv");
    let nodes = std::fs::read_to_string(&nodes_csv).expect("exported");
    let edited = nodes.replacen(
        ",MYS,refinery,operating,22600.0,",
        ",XYZ,refinery,operating,22600.0,",
        1,
    );
    assert_ne!(edited, nodes);
    std::fs::write(&nodes_csv, edited).expect("writes");

    let mut harness = baseline_harness();
    // The unchanged workbook changes nothing: there is nothing to apply.
    file_menu_with_path(
        &mut harness,
        "Import tables",
        "From a workbook (XLSX)...",
        &workbook,
        "Open",
    );
    harness.get_by_label("The tables change nothing.");
    harness
        .get_by_role_and_label(Role::Button, "Cancel")
        .click();
    harness.run_steps(3);
    assert!(harness.state().import_preview().is_none());

    file_menu_with_path(
        &mut harness,
        "Import tables",
        "From a CSV folder...",
        &tables,
        "Open",
    );
    let preview = harness.state().import_preview().expect("a preview").clone();
    assert_eq!(preview.refused.len(), 1);
    let reason = preview.refused[0].to_string();
    assert!(
        reason.starts_with("nodes.csv row ")
            && reason.ends_with(&format!(
                ", column country: node \"{LYNAS}\": unknown country \"XYZ\""
            )),
        "{reason}"
    );
    harness.get_by_label(&format!("• {reason}"));
    harness.get_by_label_contains("Refused: 1 row(s).");
    harness.get_by_role_and_label(Role::Button, "Apply").click();
    harness.run_steps(3);
    assert!(
        harness.state().import_preview().is_some(),
        "Apply is disabled: the window stays"
    );
    assert!(!harness.state().document().is_dirty());
    assert_eq!(harness.state().document().scenario(), &baseline);
}

#[test]
fn a_range_added_in_the_tables_is_previewed_and_applied() {
    let folder = tempfile::tempdir().expect("temp dir");
    let tables = folder.path().join("tables");
    let mut harness = baseline_harness();
    file_menu_with_path(
        &mut harness,
        "Export",
        "Scenario tables as CSV files...",
        &tables,
        "Save",
    );
    let uncertainty_csv = tables.join("uncertainty.csv");
    let header = std::fs::read_to_string(&uncertainty_csv).expect("the table is exported");
    assert_eq!(
        header, "target,item,id,label,distribution,params,source,notes,remove\n",
        "the baseline has no ranges: a header to fill in"
    );
    std::fs::write(
        &uncertainty_csv,
        format!(
            "{header}node_start_year,MINE-AUS-nolans_arafura,,,year_slip,0y=0.5;2y=0.5,\
             test: a planner's guess,,\n"
        ),
    )
    .expect("writes");

    file_menu_with_path(
        &mut harness,
        "Import tables",
        "From a CSV folder...",
        &tables,
        "Open",
    );
    harness.get_by_label("Added (1)");
    harness.get_by_label("• uncertainty MINE-AUS-nolans_arafura-start");
    harness.get_by_role_and_label(Role::Button, "Apply").click();
    harness.run_steps(3);
    let scenario = harness.state().document().scenario().clone();
    assert_eq!(scenario.uncertainty.len(), 1);
    let range = &scenario.uncertainty[0];
    assert_eq!(range.id, "MINE-AUS-nolans_arafura-start");
    assert_eq!(range.label, "Start year of node MINE-AUS-nolans_arafura");
    assert_eq!(range.distribution.params_text(), "0y=0.5;2y=0.5");
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert!(
        harness.state().document().scenario().uncertainty.is_empty(),
        "one undo step"
    );
}
