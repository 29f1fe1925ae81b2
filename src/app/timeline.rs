//! The timeline and presentation mode: playing the horizon year by year, and the
//! full-screen view for meetings with its title line.

use std::time::Duration;

use super::commands::Command;
use super::view_ctx::ViewCtx;

/// Seconds each year stays on screen while the timeline plays.
pub const PLAY_SECONDS_PER_YEAR: f64 = 1.2;
/// Text and widgets grow by this much in presentation mode.
const PRESENTATION_ZOOM: f32 = 1.35;

/// Whether the timeline plays and whether the app presents.
#[derive(Default)]
pub struct Timeline {
    /// While playing: when the year last moved (egui time, seconds).
    playing_since: Option<f64>,
    presenting: bool,
}

impl Timeline {
    pub fn is_playing(&self) -> bool {
        self.playing_since.is_some()
    }

    pub fn is_presenting(&self) -> bool {
        self.presenting
    }

    /// Starts playing at `now` (egui time, seconds), or pauses.
    pub fn toggle_play(&mut self, now: f64) {
        self.playing_since = match self.playing_since {
            Some(_) => None,
            None => Some(now),
        };
    }

    /// Full screen with large text, or back.
    pub fn toggle_presentation(&mut self, ctx: &egui::Context) {
        self.presenting = !self.presenting;
        ctx.send_viewport_cmd(egui::ViewportCommand::Fullscreen(self.presenting));
        ctx.set_zoom_factor(if self.presenting {
            PRESENTATION_ZOOM
        } else {
            1.0
        });
    }

    /// While playing, asks for the next year every [`PLAY_SECONDS_PER_YEAR`] and stops at
    /// `last_year`.
    pub fn advance(&mut self, ui: &egui::Ui, year: i32, last_year: i32) -> Option<Command> {
        let since = self.playing_since?;
        ui.ctx()
            .request_repaint_after(Duration::from_secs_f64(PLAY_SECONDS_PER_YEAR / 4.0));
        let now = ui.input(|i| i.time);
        if now - since < PLAY_SECONDS_PER_YEAR {
            return None;
        }
        if year >= last_year {
            self.playing_since = None;
            return None;
        }
        self.playing_since = Some(now);
        Some(Command::StepYear(1))
    }
}

/// The title line of presentation mode (scenario, commodity, year, reference) and, at the
/// bottom, the keys that work there.
pub fn presentation_title_ui(ui: &mut egui::Ui, view: &ViewCtx<'_>) {
    egui::Panel::top("presentation title").show(ui, |ui| {
        ui.add(egui::Label::new(egui::RichText::new(view.title()).heading()).wrap());
        // The scenario's assumptions in its author's words, under the title.
        let description = &view.scenario.meta.description;
        if !description.is_empty() {
            ui.add(egui::Label::new(egui::RichText::new(description).weak()).wrap());
        }
    });
    egui::Panel::bottom("presentation keys").show(ui, |ui| {
        ui.label(
            egui::RichText::new("Left/Right arrows: year    Esc or F11: leave presentation")
                .small(),
        );
    });
}
