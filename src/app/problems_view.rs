//! The scenario's validation problems as a list; clicking one selects the item at fault.
//!
//! Files, edits and imports that would make a scenario invalid are refused, so the list is
//! empty in ordinary use; it is there for whatever still gets through (a rule added to the
//! validator after a file was saved, say), with the status bar's count opening it.

use super::commands::Command;
use super::state::Selection;
use crate::model::{Problem, Scenario};

/// The inspector's selection for a problem's item (`node "ID"`, `policy "ID"`), if it
/// names one.
pub fn selection_of(problem: &Problem) -> Option<Selection> {
    let (kind, rest) = problem.item.split_once(' ')?;
    let id = rest.split('"').nth(1)?.to_owned();
    match kind {
        "node" => Some(Selection::Node(id)),
        "policy" => Some(Selection::Policy(id)),
        "country" => Some(Selection::Country(id)),
        _ => None,
    }
}

/// Lists every problem; `Some(())` when the user closes the list.
pub fn ui(ui: &mut egui::Ui, scenario: &Scenario, commands: &mut Vec<Command>) -> Option<()> {
    let problems = crate::model::validate(scenario);
    if problems.is_empty() {
        ui.label("No problems: the scenario is valid.");
    }
    egui::ScrollArea::vertical()
        .max_height(360.0)
        .show(ui, |ui| {
            for problem in &problems {
                let text = problem.to_string();
                match selection_of(problem) {
                    Some(selection) => {
                        if ui
                            .link(text)
                            .on_hover_text("Select it in the inspector")
                            .clicked()
                        {
                            commands.push(Command::Select(selection));
                        }
                    }
                    None => {
                        ui.label(text);
                    }
                }
            }
        });
    ui.button("Close").clicked().then_some(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(item: &str) -> Problem {
        Problem {
            item: item.to_owned(),
            field: "capacity_t_per_yr".to_owned(),
            message: "must be ≥ 0".to_owned(),
        }
    }

    #[test]
    fn a_problem_selects_the_node_or_policy_it_names() {
        assert_eq!(
            selection_of(&problem("node \"MAG-DEU-x\"")),
            Some(Selection::Node("MAG-DEU-x".to_owned()))
        );
        assert_eq!(
            selection_of(&problem("policy \"user-ban\"")),
            Some(Selection::Policy("user-ban".to_owned()))
        );
        assert_eq!(selection_of(&problem("trade costs")), None);
    }
}
