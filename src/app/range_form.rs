//! Ranges on guessed numbers ("how sure are we?"): the inspector's section listing the
//! uncertain inputs on the selected item, and the form that adds or changes one.
//!
//! A range is an [`UncertainInput`] of the scenario, so adding, changing and removing one
//! goes through `Edit::PutUncertainInput` / `Edit::RemoveUncertainInput` like every edit:
//! one undo step, validated before it is sent (a bad range is refused with its reason and
//! the scenario stays as it was). The source starts empty on purpose: a range nobody can
//! trace is refused until the user says where it comes from.

use super::commands::Command;
use super::form_rows::{confirm_edit, field, wide_text};
use super::forms::FormRequest;
use super::view_ctx::ViewCtx;
use crate::model::uncertainty::fresh_input_id;
use crate::model::{Distribution, Edit, Scenario, UncertainInput, UncertainTarget, YearSlip};

/// Which range form to open.
#[derive(Clone, Debug, PartialEq)]
pub enum RangeRequest {
    /// A new range on `target`, with the default distribution of its kind.
    New(UncertainTarget),
    /// The existing input with this id.
    Edit(String),
}

/// The inspector's heading of the ranges on the selected item.
pub fn ranges_heading(ui: &mut egui::Ui) {
    ui.add_space(6.0);
    ui.strong("How sure? Ranges")
        .on_hover_text("Ranges on guessed numbers, drawn together in the Uncertainty tab");
}

/// The ranges on each of `targets`, each with Edit and Remove, or an Add button.
pub fn ranges_ui(
    ui: &mut egui::Ui,
    view: &ViewCtx<'_>,
    targets: &[UncertainTarget],
    commands: &mut Vec<Command>,
) {
    // Buttons with a short name (an expansion option's "Cost ±…") share one line.
    let mut short_buttons: Vec<(&UncertainTarget, &str, String)> = Vec::new();
    for target in targets {
        let what = target_words(view.scenario, target);
        let mut any = false;
        for input in view
            .scenario
            .uncertainty
            .iter()
            .filter(|i| i.target == *target)
        {
            any = true;
            range_line_ui(ui, view.scenario, input, short_name(target), commands);
        }
        if any {
            continue;
        }
        let full = format!("Add range on {what}…");
        match short_name(target) {
            Some(short) => short_buttons.push((target, short, full)),
            None => {
                if ui.small_button(&full).clicked() {
                    commands.push(add_range(target));
                }
            }
        }
    }
    if short_buttons.is_empty() {
        return;
    }
    ui.horizontal(|ui| {
        ui.weak("Add a range:");
        for (target, short, full) in short_buttons {
            let button = ui.small_button(format!("{short}…"));
            // Read aloud and on hover in full: several options show the same short name.
            button
                .widget_info(|| egui::WidgetInfo::labeled(egui::Role::Button, true, full.as_str()));
            if button.on_hover_text(&full).clicked() {
                commands.push(add_range(target));
            }
        }
    });
}

fn add_range(target: &UncertainTarget) -> Command {
    Command::OpenForm(FormRequest::Range(RangeRequest::New(target.clone())))
}

/// A short name for a target whose item is named just above it (the inspector's node,
/// an expansion option's line), so that its buttons fit the inspector on one line.
fn short_name(target: &UncertainTarget) -> Option<&'static str> {
    match target {
        UncertainTarget::NodeCapacity { .. } => Some("Capacity ±"),
        UncertainTarget::NodeStartYear { .. } => Some("Start year ±"),
        UncertainTarget::ExpansionCapitalCost { .. } => Some("Cost ±"),
        UncertainTarget::ExpansionLeadTime { .. } => Some("Lead time ±"),
        _ => None,
    }
}

/// One range: what it varies and how, with Edit and Remove.
fn range_line_ui(
    ui: &mut egui::Ui,
    scenario: &Scenario,
    input: &UncertainInput,
    short: Option<&str>,
    commands: &mut Vec<Command>,
) {
    ui.horizontal_wrapped(|ui| {
        let described = describe_distribution(&input.distribution);
        let text = match short {
            Some(short) => format!("{}: {described}", short.trim_end_matches(" ±")),
            None => format!("{}: {described}", input.label),
        };
        ui.label(text).on_hover_ui(|ui| {
            ui.label(format!(
                "{}\n{}",
                input.label,
                source_text(scenario, &input.source)
            ));
        });
        if ui.small_button("Edit range…").clicked() {
            commands.push(Command::OpenForm(FormRequest::Range(RangeRequest::Edit(
                input.id.clone(),
            ))));
        }
        if ui.small_button("Remove range").clicked() {
            commands.push(Command::Apply {
                edit: Edit::RemoveUncertainInput {
                    input: input.id.clone(),
                },
                merge: false,
            });
        }
    });
}

/// A range's source for a hover: its text, then the citation of each source key it
/// names (the keys are the data files' business; a planner reads who said it). It looks
/// every key up, so callers build it in `on_hover_ui`, only while the pointer is on the
/// range, not every frame for every range listed.
pub fn source_text(scenario: &Scenario, source: &str) -> String {
    let mut text = format!("Source: {source}");
    for citation in scenario.citations_in(source) {
        text.push_str("\n• ");
        text.push_str(citation);
    }
    text
}

/// What a target varies, in the scenario's own names: "start year of Nolans (Arafura)".
pub fn target_words(scenario: &Scenario, target: &UncertainTarget) -> String {
    let node_name = |id: &str| scenario.node(id).map_or(id.to_owned(), |n| n.name.clone());
    let option_name = |id: &str| {
        scenario
            .expansion
            .iter()
            .find(|o| o.id == id)
            .map_or(id.to_owned(), |o| o.label.clone())
    };
    let commodity_name = |id: &str| {
        scenario
            .commodity(id)
            .map_or(id.to_owned(), |c| c.name.clone())
    };
    match target {
        UncertainTarget::NodeCapacity { node } => format!("capacity of {}", node_name(node)),
        UncertainTarget::NodeStartYear { node } => format!("start year of {}", node_name(node)),
        UncertainTarget::DemandElasticity { commodity } => {
            format!("demand elasticity of {}", commodity_name(commodity))
        }
        UncertainTarget::DemandGrowth { commodity } => {
            format!("demand growth of {}", commodity_name(commodity))
        }
        UncertainTarget::PolicySeverity { policy } => format!(
            "severity of {}",
            scenario
                .policy(policy)
                .map_or(policy.as_str(), |p| &p.label)
        ),
        UncertainTarget::ExpansionCapitalCost { option } => {
            format!("capital cost of {}", option_name(option))
        }
        UncertainTarget::ExpansionLeadTime { option } => {
            format!("lead time of {}", option_name(option))
        }
    }
}

/// A distribution in a few words: "uniform × 0.80–1.10", "slip +0 y 30 %, +1 y 40 %".
pub fn describe_distribution(distribution: &Distribution) -> String {
    match distribution {
        Distribution::Uniform { low, high } => format!("uniform × {low:.2}–{high:.2}"),
        Distribution::Triangular { low, mode, high } => {
            format!("triangular × {low:.2}–{high:.2}, peak {mode:.2}")
        }
        Distribution::LogNormal { median, sigma } => {
            format!("log-normal × median {median:.2}, σ {sigma:.2}")
        }
        Distribution::YearSlip(outcomes) => {
            let parts: Vec<String> = outcomes
                .iter()
                .map(|o| format!("+{} y {:.0} %", o.years, o.probability * 100.0))
                .collect();
            format!("slip {}", parts.join(", "))
        }
    }
}

/// The distribution a new range on `target` starts from: wide enough to matter, narrow
/// enough to be plausible (the user is expected to change it and to say why).
pub fn default_distribution(target: &UncertainTarget) -> Distribution {
    match target {
        UncertainTarget::NodeStartYear { .. } => Distribution::YearSlip(vec![
            YearSlip {
                years: 0,
                probability: 0.3,
            },
            YearSlip {
                years: 1,
                probability: 0.4,
            },
            YearSlip {
                years: 2,
                probability: 0.3,
            },
        ]),
        UncertainTarget::NodeCapacity { .. } => Distribution::Uniform {
            low: 0.8,
            high: 1.1,
        },
        UncertainTarget::DemandElasticity { .. } | UncertainTarget::DemandGrowth { .. } => {
            Distribution::Uniform {
                low: 0.5,
                high: 1.5,
            }
        }
        UncertainTarget::PolicySeverity { .. } => Distribution::Triangular {
            low: 0.7,
            mode: 1.0,
            high: 1.3,
        },
        UncertainTarget::ExpansionCapitalCost { .. }
        | UncertainTarget::ExpansionLeadTime { .. } => Distribution::Triangular {
            low: 0.8,
            mode: 1.0,
            high: 1.5,
        },
    }
}

/// The continuous kinds a multiplier can take, for the chooser.
const KINDS: [&str; 3] = ["Uniform", "Triangular", "Log-normal"];

fn kind_of(distribution: &Distribution) -> &'static str {
    match distribution {
        Distribution::Uniform { .. } => KINDS[0],
        Distribution::Triangular { .. } => KINDS[1],
        Distribution::LogNormal { .. } => KINDS[2],
        Distribution::YearSlip(_) => "Year slip",
    }
}

/// A multiplier distribution of `kind` spanning about what `from` spans.
fn converted(from: &Distribution, kind: &str) -> Distribution {
    let (low, high) = match *from {
        Distribution::Uniform { low, high } | Distribution::Triangular { low, high, .. } => {
            (low, high)
        }
        Distribution::LogNormal { median, sigma } => (
            median * (-1.645 * sigma).exp(),
            median * (1.645 * sigma).exp(),
        ),
        Distribution::YearSlip(_) => (0.8, 1.2),
    };
    match kind {
        "Triangular" => Distribution::Triangular {
            low,
            mode: (low + high) / 2.0,
            high,
        },
        "Log-normal" => Distribution::LogNormal {
            median: (low * high).sqrt().max(1e-6),
            sigma: ((high / low.max(1e-6)).ln() / (2.0 * 1.645)).clamp(0.01, 3.0),
        },
        _ => Distribution::Uniform { low, high },
    }
}

/// The draft of one range and why it was last refused.
pub struct RangeForm {
    draft: UncertainInput,
    replaces: bool,
    refusal: Option<String>,
}

impl RangeForm {
    pub fn open(request: RangeRequest, scenario: &Scenario) -> Option<Self> {
        match request {
            RangeRequest::Edit(id) => {
                scenario
                    .uncertainty
                    .iter()
                    .find(|i| i.id == id)
                    .map(|input| Self {
                        draft: input.clone(),
                        replaces: true,
                        refusal: None,
                    })
            }
            RangeRequest::New(target) => {
                let words = target_words(scenario, &target);
                let mut label = words.clone();
                label[..1].make_ascii_uppercase();
                Some(Self {
                    draft: UncertainInput {
                        id: fresh_input_id(&target, |id| {
                            scenario.uncertainty.iter().any(|i| i.id == id)
                        }),
                        label,
                        distribution: default_distribution(&target),
                        target,
                        source: String::new(),
                        notes: String::new(),
                    },
                    replaces: false,
                    refusal: None,
                })
            }
        }
    }

    pub fn title(&self, scenario: &Scenario) -> String {
        format!("Range on {}", target_words(scenario, &self.draft.target))
    }

    /// The form; `Some(Some(edit))` when confirmed and accepted, `Some(None)` when
    /// cancelled.
    pub fn ui(&mut self, ui: &mut egui::Ui, scenario: &Scenario) -> Option<Option<Edit>> {
        ui.label(
            "Multipliers scale the scenario's value (1 = as it is); a start year slips by \
             whole years.",
        );
        egui::Grid::new("range form").num_columns(2).show(ui, |ui| {
            field(ui, "Label", |ui| wide_text(ui, &mut self.draft.label));
            distribution_rows(ui, &mut self.draft.distribution);
            field(ui, "Source (required)", |ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut self.draft.source)
                        .hint_text("where the range comes from")
                        .desired_width(280.0),
                )
            });
        });
        let draft = &self.draft;
        confirm_edit(ui, self.replaces, &mut self.refusal, scenario, || {
            Edit::PutUncertainInput(Box::new(draft.clone()))
        })
    }
}

/// The kind chooser and the numbers of the distribution.
fn distribution_rows(ui: &mut egui::Ui, distribution: &mut Distribution) {
    if let Distribution::YearSlip(outcomes) = distribution {
        slip_rows(ui, outcomes);
        return;
    }
    let mut kind = kind_of(distribution);
    field(ui, "Distribution", |ui| {
        egui::ComboBox::from_id_salt("range kind")
            .selected_text(kind)
            .show_ui(ui, |ui| {
                for option in KINDS {
                    ui.selectable_value(&mut kind, option, option);
                }
            })
            .response
    });
    if kind != kind_of(distribution) {
        *distribution = converted(distribution, kind);
    }
    let number = |ui: &mut egui::Ui, label: &str, value: &mut f64| {
        field(ui, label, |ui| {
            ui.add(egui::DragValue::new(value).speed(0.01).max_decimals(3))
        });
    };
    match distribution {
        Distribution::Uniform { low, high } => {
            number(ui, "Low (× value)", low);
            number(ui, "High (× value)", high);
        }
        Distribution::Triangular { low, mode, high } => {
            number(ui, "Low (× value)", low);
            number(ui, "Most likely (× value)", mode);
            number(ui, "High (× value)", high);
        }
        Distribution::LogNormal { median, sigma } => {
            number(ui, "Median (× value)", median);
            number(ui, "Sigma (of the log)", sigma);
        }
        Distribution::YearSlip(_) => {}
    }
}

/// A start year's slips: years late and the probability of each (they must sum to 1).
fn slip_rows(ui: &mut egui::Ui, outcomes: &mut Vec<YearSlip>) {
    let mut remove = None;
    for (index, outcome) in outcomes.iter_mut().enumerate() {
        field(ui, &format!("Slip {} (years late)", index + 1), |ui| {
            ui.add(egui::DragValue::new(&mut outcome.years).range(-5..=20))
        });
        let label = format!("Probability of slip {} (%)", index + 1);
        let label_id = ui.label(&label).id;
        ui.horizontal(|ui| {
            let mut percent = outcome.probability * 100.0;
            let response = ui
                .add(
                    egui::DragValue::new(&mut percent)
                        .speed(1.0)
                        .max_decimals(1)
                        .suffix(" %"),
                )
                .labelled_by(label_id);
            if response.changed() {
                outcome.probability = percent / 100.0;
            }
            if ui.small_button("Remove slip").clicked() {
                remove = Some(index);
            }
        });
        ui.end_row();
    }
    if let Some(index) = remove {
        outcomes.remove(index);
    }
    let total: f64 = outcomes.iter().map(|o| o.probability).sum();
    ui.label(format!("Total {:.1} % (must be 100 %)", total * 100.0));
    if ui.small_button("Add a slip").clicked() {
        let years = outcomes.iter().map(|o| o.years).max().map_or(0, |y| y + 1);
        outcomes.push(YearSlip {
            years,
            probability: 0.0,
        });
    }
    ui.end_row();
}
