//! The Table keeps every column in reach at any inspector width the app allows (its width
//! persists between runs): with the inspector dragged to its widest, a sideways scroll
//! over the table brings the last column (Start) into the centre view while the names
//! stay where they were.
#![cfg(feature = "gui")]

mod ui_support;

use egui::accesskit::Role;
use egui_kittest::kittest::Queryable as _;
use ui_support::{baseline_harness, inspector_left, scroll_to_the_right, settle, widen_inspector};

const MT_WELD: &str = "Mt Weld (Lynas) + minor";

#[test]
fn the_last_table_column_is_in_reach_beside_the_names_with_the_widest_inspector() {
    let mut harness = baseline_harness();
    settle(&mut harness);
    let widened = widen_inspector(&mut harness, 300.0);
    assert!(widened > 150.0, "the inspector widened by {widened} points");
    harness.get_by_label("Table").click();
    harness.run_steps(3);
    let centre_right = inspector_left(&harness) - 8.0;
    let name_heading = harness.get_by_label("Node").rect();
    let name = harness.get_by_role_and_label(Role::Button, MT_WELD).rect();
    scroll_to_the_right(&mut harness, name.center() + egui::vec2(300.0, 0.0));
    let start = harness.get_by_label("Start").rect();
    assert!(
        start.right() <= centre_right && start.left() >= name_heading.right(),
        "Start ({start:?}) lies between the names (right edge {}) and the inspector ({centre_right})",
        name_heading.right()
    );
    // The names did not move.
    assert_eq!(harness.get_by_label("Node").rect(), name_heading);
    assert_eq!(
        harness.get_by_role_and_label(Role::Button, MT_WELD).rect(),
        name
    );
}
