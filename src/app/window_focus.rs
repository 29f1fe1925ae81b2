//! Keyboard focus for the window when it opens, so that Ctrl+Z, Ctrl+S and the other
//! shortcuts work before anyone clicks into it.
//!
//! The window manager normally gives a new window the keyboard. Until the window has it,
//! the system delivers no key to the app at all (winit drops keys for an unfocused window),
//! so no shortcut can work. The app therefore asks for focus in its first frames
//! ([`egui::ViewportCommand::Focus`], which a window manager may grant). On X11 with no
//! window manager running (a bare X server such as Xvfb) nobody would answer that request,
//! and nothing else ever focuses the window: there the app sets the input focus itself.

use std::time::Duration;

/// How long after start the app keeps asking for focus (the window appears after its
/// first frame, and some window managers map it a little later).
const ASK_FOR: Duration = Duration::from_secs(2);

/// Asks for the keyboard until the window has it, for the first moments after start.
#[derive(Default)]
pub struct WindowFocus {
    /// The window has had focus, or the time to ask is over.
    settled: bool,
    /// Frames asked in so far.
    frames_asked: u32,
}

/// Frames in which the window manager is asked: a few, since the window may be shown only
/// after the first, and asking again and again can make a window manager flash the window.
const ASK_WINDOW_MANAGER_FRAMES: u32 = 3;

impl WindowFocus {
    /// Call once per frame with the window's frame.
    pub fn ask_until_focused(&mut self, ctx: &egui::Context, frame: &eframe::Frame) {
        if self.settled {
            return;
        }
        let (focused, time_s) = ctx.input(|i| (i.focused, i.time));
        if focused || time_s > ASK_FOR.as_secs_f64() {
            self.settled = true;
            return;
        }
        if self.frames_asked < ASK_WINDOW_MANAGER_FRAMES {
            ctx.send_viewport_cmd(egui::ViewportCommand::Focus);
        }
        self.frames_asked += 1;
        #[cfg(target_os = "linux")]
        x11::focus_if_no_window_manager(frame);
        #[cfg(not(target_os = "linux"))]
        let _ = frame;
        // Frames come only on events: keep them coming while asking.
        ctx.request_repaint_after(Duration::from_millis(100));
    }
}

#[cfg(target_os = "linux")]
mod x11 {
    use raw_window_handle::{HasWindowHandle as _, RawWindowHandle};
    use x11rb::connection::Connection as _;
    use x11rb::protocol::xproto::{AtomEnum, ConnectionExt as _, InputFocus, MapState};

    /// Sets the X input focus to the app's window if it is shown and no EWMH window
    /// manager runs (none has set `_NET_SUPPORTING_WM_CHECK` on the root window). Does
    /// nothing under Wayland or when anything fails: focus is a convenience.
    pub fn focus_if_no_window_manager(frame: &eframe::Frame) {
        let Some(window) = x11_window(frame) else {
            return;
        };
        let Ok((connection, screen)) = x11rb::connect(None) else {
            return;
        };
        let root = connection.setup().roots[screen].root;
        if window_manager_runs(&connection, root) != Some(false) {
            return;
        }
        let shown = connection
            .get_window_attributes(window)
            .ok()
            .and_then(|cookie| cookie.reply().ok())
            .is_some_and(|attributes| attributes.map_state == MapState::VIEWABLE);
        if shown {
            let _ = connection
                .set_input_focus(InputFocus::PARENT, window, x11rb::CURRENT_TIME)
                .map(|cookie| cookie.check());
        }
    }

    fn x11_window(frame: &eframe::Frame) -> Option<u32> {
        match frame.window_handle().ok()?.as_raw() {
            RawWindowHandle::Xlib(handle) => u32::try_from(handle.window).ok(),
            RawWindowHandle::Xcb(handle) => Some(handle.window.get()),
            _ => None,
        }
    }

    /// Some(true) if an EWMH window manager announces itself on `root`.
    fn window_manager_runs(
        connection: &impl x11rb::connection::Connection,
        root: u32,
    ) -> Option<bool> {
        let atom = connection
            .intern_atom(true, b"_NET_SUPPORTING_WM_CHECK")
            .ok()?
            .reply()
            .ok()?
            .atom;
        if atom == x11rb::NONE {
            // The name was never interned: no window manager has set it.
            return Some(false);
        }
        let property = connection
            .get_property(false, root, atom, AtomEnum::WINDOW, 0, 1)
            .ok()?
            .reply()
            .ok()?;
        Some(property.value_len > 0)
    }
}
