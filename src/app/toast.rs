//! Confirmations that need no answer ("Saved …", "Wrote 8 files in …") as a notice in the
//! bottom-right corner that fades after a few seconds: a modal "Done" box after every save
//! interrupts a meeting. Errors stay modal (see [`super::dialogs`]).

use std::time::{Duration, Instant};

/// How long a notice stays fully visible, then how long it takes to fade.
const VISIBLE: Duration = Duration::from_secs(5);
const FADING: Duration = Duration::from_secs(2);

pub struct Toast {
    text: String,
    shown_at: Instant,
}

impl Toast {
    pub fn new(text: String) -> Self {
        Self {
            text,
            shown_at: Instant::now(),
        }
    }

    /// The notice's text while it is on screen.
    pub fn text(&self) -> Option<&str> {
        (self.shown_at.elapsed() < VISIBLE + FADING).then_some(self.text.as_str())
    }

    /// Draws the notice, faded by its age; false once it has faded out.
    pub fn show(&self, ctx: &egui::Context) -> bool {
        let age = self.shown_at.elapsed();
        if age >= VISIBLE + FADING {
            return false;
        }
        let opacity = if age <= VISIBLE {
            1.0
        } else {
            1.0 - (age - VISIBLE).as_secs_f32() / FADING.as_secs_f32()
        };
        egui::Area::new(egui::Id::unique("rareflow toast"))
            .anchor(egui::Align2::RIGHT_BOTTOM, [-16.0, -44.0])
            .order(egui::Order::Foreground)
            .interactable(false)
            .show(ctx, |ui| {
                ui.set_opacity(opacity);
                egui::Frame::popup(ui.style()).show(ui, |ui| {
                    ui.set_max_width(520.0);
                    ui.label(&self.text);
                });
            });
        ctx.request_repaint_after(Duration::from_millis(100));
        true
    }
}
