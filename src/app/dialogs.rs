//! Modal dialogs: unsaved changes, errors, About with the data sources; confirmations as a
//! fading notice (see [`super::toast`]).

use std::path::Path;

use super::commands::Command;
use super::toast::Toast;
use super::view_ctx::ViewCtx;
use crate::document::Document;

/// An action waiting for the user to decide about unsaved changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Pending {
    New,
    Open,
    OpenPath(std::path::PathBuf),
    Quit,
}

impl Pending {
    fn verb(&self) -> &'static str {
        match self {
            Pending::New => "starting a new scenario",
            Pending::Open | Pending::OpenPath(_) => "opening another file",
            Pending::Quit => "closing",
        }
    }
}

#[derive(Default)]
pub struct Dialogs {
    /// An error, shown modal until dismissed.
    notice: Option<(String, bool)>,
    /// A confirmation, shown until it fades.
    toast: Option<Toast>,
    asking: Option<Pending>,
    save_then: Option<Pending>,
    /// "Don't save" was answered for this action, at this revision of the document.
    discard_agreed: Option<(Pending, u64)>,
    confirmed: Option<Pending>,
    about: bool,
    quitting: bool,
}

impl Dialogs {
    /// The message on screen, if any: an error, or a confirmation that has not faded.
    pub fn notice(&self) -> Option<&str> {
        self.notice
            .as_ref()
            .map(|(text, _)| text.as_str())
            .or_else(|| self.toast.as_ref().and_then(Toast::text))
    }

    pub fn error(&mut self, message: String) {
        self.notice = Some((message, true));
    }

    /// A confirmation: a notice that fades, not a box to dismiss.
    pub fn info(&mut self, message: String) {
        self.toast = Some(Toast::new(message));
    }

    pub fn show_about(&mut self) {
        self.about = true;
    }

    /// Asks whether to save before `pending`.
    pub fn ask(&mut self, pending: Pending) {
        self.asking = Some(pending);
        self.save_then = None;
    }

    /// True if the user chose to drop the changes of document `revision` for `pending`.
    ///
    /// The answer covers the action and the step it leads to: "Open" goes on to the file
    /// chosen in the open dialog, which must not ask a second time. It lapses with any
    /// edit (a new revision) and once the action is carried out.
    pub fn take_discard_agreed(&mut self, pending: &Pending, revision: u64) -> bool {
        let Some((agreed, agreed_revision)) = &self.discard_agreed else {
            return false;
        };
        if *agreed_revision != revision {
            self.discard_agreed = None;
            return false;
        }
        let covered = match (agreed, pending) {
            (Pending::Open, Pending::OpenPath(_)) => true,
            (agreed, pending) => agreed == pending,
        };
        // The open dialog comes next: the answer holds for the file chosen in it.
        if covered && *pending != Pending::Open {
            self.discard_agreed = None;
        }
        covered
    }

    /// The action to carry out now that the user decided.
    pub fn take_confirmed(&mut self) -> Option<Pending> {
        self.confirmed.take()
    }

    pub fn quitting(&self) -> bool {
        self.quitting
    }

    pub fn set_quitting(&mut self) {
        self.quitting = true;
    }

    /// After a successful save: go on with what was waiting for it.
    pub fn after_save(&mut self, path: &Path) {
        if let Some(pending) = self.save_then.take() {
            self.confirmed = Some(pending);
        } else {
            self.info(format!("Saved {}", path.display()));
        }
    }

    pub fn show(
        &mut self,
        ctx: &egui::Context,
        view: &ViewCtx<'_>,
        document: &Document,
        commands: &mut Vec<Command>,
    ) {
        if let Some(pending) = self.asking.clone() {
            let name = document.path().and_then(|p| p.file_name()).map_or_else(
                || view.scenario.meta.name.clone(),
                |n| n.to_string_lossy().into_owned(),
            );
            egui::Modal::new(egui::Id::unique("unsaved changes")).show(ctx, |ui| {
                ui.heading("Unsaved changes");
                ui.label(format!(
                    "\"{name}\" has changes that are not saved. Save them before {}?",
                    pending.verb()
                ));
                ui.add_space(8.0);
                ui.horizontal(|ui| {
                    if ui.button("Save").clicked() {
                        self.save_then = Some(pending.clone());
                        self.asking = None;
                        commands.push(Command::Save);
                    }
                    if ui.button("Don't save").clicked() {
                        self.discard_agreed = Some((pending.clone(), document.revision()));
                        self.confirmed = Some(pending.clone());
                        self.asking = None;
                    }
                    if ui.button("Cancel").clicked() {
                        self.asking = None;
                    }
                });
            });
        }
        if self.toast.as_ref().is_some_and(|toast| !toast.show(ctx)) {
            self.toast = None;
        }
        if let Some((text, is_error)) = self.notice.clone() {
            let mut open = true;
            egui::Window::new(if is_error {
                "Could not do that"
            } else {
                "Done"
            })
            .collapsible(false)
            .resizable(true)
            .default_width(560.0)
            .open(&mut open)
            .anchor(egui::Align2::CENTER_TOP, [0.0, 60.0])
            .show(ctx, |ui| {
                egui::ScrollArea::vertical()
                    .max_height(360.0)
                    .show(ui, |ui| {
                        let text = egui::RichText::new(&text).monospace();
                        ui.label(if is_error {
                            text.color(ui.visuals().error_fg_color)
                        } else {
                            text
                        });
                    });
                if is_error {
                    ui.label("The open scenario is unchanged.");
                }
                if ui.button("OK").clicked() {
                    self.notice = None;
                }
            });
            if !open {
                self.notice = None;
            }
        }
        if self.about {
            let mut open = true;
            egui::Window::new("About rareflow")
                .collapsible(false)
                .default_width(640.0)
                .open(&mut open)
                .show(ctx, |ui| about_ui(ui, view));
            self.about = open;
        }
    }
}

fn about_ui(ui: &mut egui::Ui, view: &ViewCtx<'_>) {
    ui.heading("rareflow");
    ui.label(
        "A what-if modeller for the rare-earth supply chain: a spatial price equilibrium over \
         mines, separation refineries and magnet plants per country, year by year.",
    );
    ui.label(format!(
        "Version {}. Open scenario: {}",
        env!("CARGO_PKG_VERSION"),
        view.scenario.meta.name
    ));
    ui.add_space(6.0);
    // By publisher and title, as they are cited, in alphabetical order so that one
    // publisher's reports stand together; the keys are the data files' business.
    let mut citations: Vec<&str> = view
        .scenario
        .sources
        .iter()
        .map(|source| source.citation.as_str())
        .collect();
    citations.sort_by_key(|citation| citation.to_lowercase());
    citations.dedup();
    ui.strong(format!("Data sources ({})", citations.len()));
    egui::ScrollArea::vertical()
        .max_height(320.0)
        .show(ui, |ui| {
            for citation in citations {
                ui.label(format!("• {citation}"));
            }
        });
    ui.add_space(6.0);
    ui.label("World map: Natural Earth 1:110m (public domain), via world-atlas (ISC).");
}
