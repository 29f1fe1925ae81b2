//! Autosave and the recovery dialog: the app's side of [`crate::recovery`].
//!
//! Off unless asked for ([`RareflowApp::with_recovery`]): the window started by `run`
//! turns it on; UI tests that build the app themselves write nothing to the user's folder.
//! At start, unsaved changes left by a rareflow that did not close properly are offered one
//! at a time: Restore, Compare (restore, with the saved file as the Compare reference) or
//! Discard.

use std::path::Path;
use std::time::Instant;

use super::RareflowApp;
use super::commands::{Command, ReferenceChoice};
use super::state::Tab;
use crate::document::Document;
use crate::recovery::{Autosave, Orphan};

/// What the app keeps for autosave and recovery.
#[derive(Default)]
pub struct RecoveryView {
    autosave: Option<Autosave>,
    /// Recovery files of processes that are gone, still to be decided on (oldest first).
    orphans: Vec<Orphan>,
    /// The last autosave failure told to the user (each is told once).
    reported_error: Option<String>,
}

/// The user's answer to the recovery dialog.
enum Answer {
    Restore,
    Compare,
    Discard,
}

impl RareflowApp {
    /// Turns on autosave into `dir` and offers what crashed instances left there. Without
    /// a folder (no home), or if it cannot be used, the app runs without autosave and says
    /// so on stderr.
    pub fn with_recovery(mut self, dir: Option<&Path>) -> Self {
        let Some(dir) = dir else {
            eprintln!("rareflow: no data folder (HOME is not set): autosave is off");
            return self;
        };
        self.recovery.orphans = crate::recovery::find_orphans(dir);
        match Autosave::start(dir) {
            Ok(autosave) => self.recovery.autosave = Some(autosave),
            Err(error) => eprintln!("rareflow: autosave is off: {error}"),
        }
        self
    }

    /// The recovery file of the open document (tests): it exists while changes are unsaved.
    pub fn recovery_file(&self) -> Option<std::path::PathBuf> {
        self.recovery.autosave.as_ref().map(Autosave::recovery_file)
    }

    /// Waits until the autosave has written what it was asked to (tests). False on timeout
    /// or without autosave.
    pub fn wait_until_autosaved(&self, timeout: std::time::Duration) -> bool {
        self.recovery
            .autosave
            .as_ref()
            .is_some_and(|autosave| autosave.wait_idle(timeout))
    }

    /// Once a frame, after the frame's commands: autosaves and shows the recovery dialog.
    pub(super) fn recovery_frame(&mut self, ctx: &egui::Context) {
        if let Some(autosave) = &mut self.recovery.autosave {
            if let Some(wait) = autosave.update(&self.document, Instant::now()) {
                ctx.request_repaint_after(wait);
            }
            // A failing autosave is said, once per failure: until it works again only a
            // save protects the changes.
            let error = autosave.last_error();
            if error.is_some() && error != self.recovery.reported_error {
                self.dialogs.error(format!(
                    "Autosave failed: {}. Until it works again a crash would lose the \
                     unsaved changes: save them to a file.",
                    error.as_deref().unwrap_or_default()
                ));
            }
            self.recovery.reported_error = error;
        }
        let Some(orphan) = self.recovery.orphans.first() else {
            return;
        };
        let mut answer = None;
        egui::Modal::new(egui::Id::unique("recovery")).show(ctx, |ui| {
            ui.heading("Recover unsaved changes");
            ui.label(format!(
                "rareflow did not close properly: restore the unsaved changes to \"{}\" ({})?",
                orphan.info.document_name(),
                orphan.info.age_text(crate::recovery::now_unix_s()),
            ));
            if let Some(path) = &orphan.info.original_path {
                ui.weak(format!("Saved file: {}", path.display()));
            }
            ui.add_space(8.0);
            ui.horizontal(|ui| {
                if ui.button("Restore").clicked() {
                    answer = Some(Answer::Restore);
                }
                if ui
                    .button("Restore and compare")
                    .on_hover_text(
                        "Restore, and compare with the saved file (or the baseline if never saved)",
                    )
                    .clicked()
                {
                    answer = Some(Answer::Compare);
                }
                if ui.button("Discard").clicked() {
                    answer = Some(Answer::Discard);
                }
            });
        });
        if let Some(answer) = answer {
            self.answer_recovery(answer);
            ctx.request_repaint();
        }
    }

    /// Carries out the answer for the first orphan; its files go either way (restored
    /// changes are this instance's unsaved changes now, autosaved as such).
    fn answer_recovery(&mut self, answer: Answer) {
        let orphan = self.recovery.orphans.remove(0);
        if matches!(answer, Answer::Discard) {
            orphan.discard();
            return;
        }
        let scenario = match orphan.load() {
            Ok(scenario) => scenario,
            Err(error) => {
                // The files stay for another try (or for the user to rescue by hand).
                self.dialogs.error(error.to_string());
                return;
            }
        };
        let original = orphan.info.original_path.clone();
        self.replace_document(Document::recovered(scenario, original.clone()));
        orphan.discard();
        if matches!(answer, Answer::Compare) {
            let reference = match original {
                Some(path) if path.is_file() => ReferenceChoice::File(path),
                _ => ReferenceChoice::BuiltIn,
            };
            self.commands.push(Command::SetReference(reference));
            self.commands.push(Command::SetTab(Tab::Compare));
        }
    }
}
