//! A table whose first column (the names) and heading row stay put while the rest
//! scrolls: sideways when the figures do not fit beside the name, down when the rows do
//! not fit. The centre view's width depends on both side panels (resizable, and their
//! widths persist), so a table sized to fit one width cuts columns off at another; here
//! every column stays reachable at any width, and the name says whose figures they are.
//!
//! One scroll area holds everything. The name column is drawn at the viewport's left edge
//! and the heading row at its top edge; the scrolled cells are clipped to the rest of the
//! viewport, so nothing overlaps and every click lands on what it is drawn on.

/// One cell: `row` is `None` for the heading row; `column` 0 is the frozen name column.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cell {
    pub row: Option<usize>,
    pub column: usize,
}

/// One body row: what it shows (its cells' widgets take their ids from it, not from the
/// row's place, so a widget's state stays with its item when the rows re-sort), its
/// height, points, and whether it is drawn on a stripe (a row and the row that opens
/// beneath it share one).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Row {
    pub key: egui::IdSalt,
    pub height: f32,
    pub striped: bool,
    /// The row is one cell (column 0) across the whole view, staying put like the
    /// names: details opened beneath a row.
    pub spans: bool,
}

impl Row {
    /// One row of `height` per key, every other one striped.
    pub fn alternating(height: f32, keys: impl IntoIterator<Item = egui::IdSalt>) -> Vec<Row> {
        keys.into_iter()
            .enumerate()
            .map(|(index, key)| Row {
                key,
                height,
                striped: index % 2 == 1,
                spans: false,
            })
            .collect()
    }
}

pub struct FrozenTable<'a> {
    id_salt: &'static str,
    /// The narrowest and widest the name column gets, points; between the two it takes
    /// what the other columns leave.
    name_width_range: (f32, f32),
    /// Widths of the scrolled columns (1, 2, …), points.
    column_widths: &'a [f32],
    heading_height: f32,
    rows: &'a [Row],
    max_height: Option<f32>,
}

/// Where the parts of the table are on screen this frame.
struct Geometry {
    /// The visible part of the scroll area.
    visible: egui::Rect,
    /// The top left of the whole (scrolled) content.
    origin: egui::Pos2,
    name_width: f32,
    gap: f32,
    /// The table's own id, which its cells' ids derive from.
    id: egui::Id,
}

impl Geometry {
    /// Left and right of column `column`, on screen.
    fn x_range(&self, widths: &[f32], column: usize) -> egui::Rangef {
        if column == 0 {
            return egui::Rangef::new(self.visible.left(), self.visible.left() + self.name_width);
        }
        let before: f32 = widths[..column - 1].iter().map(|w| w + self.gap).sum();
        let left = self.origin.x + self.name_width + self.gap + before;
        egui::Rangef::new(left, left + widths[column - 1])
    }

    /// Where cells of `column` may draw: the name column's own strip, or the viewport
    /// right of it.
    fn x_clip(&self, column: usize) -> egui::Rangef {
        let split = self.visible.left() + self.name_width;
        if column == 0 {
            egui::Rangef::new(self.visible.left(), split)
        } else {
            egui::Rangef::new(split, self.visible.right())
        }
    }
}

impl<'a> FrozenTable<'a> {
    pub fn new(
        id_salt: &'static str,
        name_width_range: (f32, f32),
        column_widths: &'a [f32],
        heading_height: f32,
        rows: &'a [Row],
    ) -> Self {
        Self {
            id_salt,
            name_width_range,
            column_widths,
            heading_height,
            rows,
            max_height: None,
        }
    }

    /// The name column's width for `available` points: what the others leave, within
    /// its range, but never more than 60 % of the view (the figures need room to scroll
    /// in).
    fn name_width(&self, available: f32, gap: f32, scroll_bar: f32) -> f32 {
        let (narrowest, widest) = self.name_width_range;
        let others: f32 = self.column_widths.iter().map(|w| w + gap).sum();
        (available - others - scroll_bar)
            .clamp(narrowest, widest)
            .min(available * 0.6)
    }

    /// At most `height` points tall (the rows scroll within it), shorter if the rows
    /// need less; without it the table fills the rest of the view.
    pub fn max_height(mut self, height: f32) -> Self {
        self.max_height = Some(height);
        self
    }

    /// Draws the table; `add_cell` fills each cell (its `Ui` is the cell, clipped to it).
    pub fn show(self, ui: &mut egui::Ui, mut add_cell: impl FnMut(&mut egui::Ui, Cell)) {
        ui.scope(|ui| {
            // Thin scroll bars that are always drawn: the default ones show only under the
            // pointer, and a planner would not know the figures go on to the right.
            ui.spacing_mut().scroll = egui::style::ScrollStyle::thin();
            let gap = ui.spacing().item_spacing.x;
            // Room for the vertical scroll bar, so that a table that fits does not scroll
            // sideways by the bar's width.
            let scroll_bar = ui.spacing().scroll.allocated_width();
            let name_width = self.name_width(ui.available_width(), gap, scroll_bar);
            let content_width =
                name_width + self.column_widths.iter().map(|w| w + gap).sum::<f32>();
            let content_height =
                self.heading_height + self.rows.iter().map(|r| r.height).sum::<f32>();
            let mut scroll_area = egui::ScrollArea::both()
                .id_salt(self.id_salt)
                .auto_shrink([false, self.max_height.is_some()])
                .content_margin(0.0);
            if let Some(height) = self.max_height {
                scroll_area = scroll_area.max_height(height);
            }
            scroll_area.show_viewport(ui, |ui, _viewport| {
                ui.set_min_size(egui::vec2(content_width, content_height));
                let geometry = Geometry {
                    visible: ui.clip_rect(),
                    origin: ui.max_rect().min,
                    name_width,
                    gap,
                    id: ui.scope_id().with(self.id_salt),
                };
                self.body_ui(ui, &geometry, &mut add_cell);
                self.headings_ui(ui, &geometry, &mut add_cell);
                self.lines_ui(ui, &geometry, content_width);
            });
        });
    }

    fn columns(&self) -> std::ops::Range<usize> {
        0..self.column_widths.len() + 1
    }

    fn body_ui(
        &self,
        ui: &mut egui::Ui,
        geometry: &Geometry,
        add_cell: &mut impl FnMut(&mut egui::Ui, Cell),
    ) {
        let body_top = geometry.visible.top() + self.heading_height;
        let y_clip = egui::Rangef::new(body_top, geometry.visible.bottom());
        let stripe_painter = ui.painter().with_clip_rect(egui::Rect::from_x_y_ranges(
            geometry.visible.x_range(),
            y_clip,
        ));
        let stripe = ui.visuals().faint_bg_color;
        let mut top = geometry.origin.y + self.heading_height;
        for (index, row) in self.rows.iter().enumerate() {
            let y_range = egui::Rangef::new(top, top + row.height);
            top += row.height;
            if row.striped {
                stripe_painter.rect_filled(
                    egui::Rect::from_x_y_ranges(geometry.visible.x_range(), y_range),
                    0.0,
                    stripe,
                );
            }
            let columns = if row.spans { 0..1 } else { self.columns() };
            for column in columns {
                let cell = Cell {
                    row: Some(index),
                    column,
                };
                let x_range = if row.spans {
                    geometry.visible.x_range()
                } else {
                    geometry.x_range(self.column_widths, column)
                };
                let rect = egui::Rect::from_x_y_ranges(x_range, y_range);
                let clip_x = if row.spans {
                    x_range
                } else {
                    geometry.x_clip(column)
                };
                let clip = egui::Rect::from_x_y_ranges(clip_x, y_clip);
                cell_ui(
                    ui,
                    geometry.id.with((row.key, column)),
                    rect,
                    clip,
                    cell,
                    add_cell,
                );
            }
        }
    }

    fn headings_ui(
        &self,
        ui: &mut egui::Ui,
        geometry: &Geometry,
        add_cell: &mut impl FnMut(&mut egui::Ui, Cell),
    ) {
        let y_range = egui::Rangef::new(
            geometry.visible.top(),
            geometry.visible.top() + self.heading_height,
        );
        for column in self.columns() {
            let rect =
                egui::Rect::from_x_y_ranges(geometry.x_range(self.column_widths, column), y_range);
            let clip = egui::Rect::from_x_y_ranges(geometry.x_clip(column), y_range);
            let id = geometry.id.with(("heading", column));
            cell_ui(ui, id, rect, clip, Cell { row: None, column }, add_cell);
        }
    }

    /// A line under the headings, and one right of the names once the figures have
    /// scrolled under them.
    fn lines_ui(&self, ui: &egui::Ui, geometry: &Geometry, content_width: f32) {
        let stroke = ui.visuals().widgets.noninteractive.bg_stroke;
        let visible = geometry.visible;
        let under_headings = visible.top() + self.heading_height;
        let right = visible.right().min(geometry.origin.x + content_width);
        ui.painter()
            .hline(visible.left()..=right, under_headings, stroke);
        if geometry.origin.x < visible.left() - 0.5 {
            let x = visible.left() + geometry.name_width + geometry.gap * 0.5;
            ui.painter().vline(x, visible.y_range(), stroke);
        }
    }
}

/// One cell's own `Ui`: laid out in `rect` left to right, centred vertically, clipped to
/// where its part of the table may draw.
fn cell_ui(
    ui: &mut egui::Ui,
    id: egui::Id,
    rect: egui::Rect,
    clip: egui::Rect,
    cell: Cell,
    add_cell: &mut impl FnMut(&mut egui::Ui, Cell),
) {
    let clip = clip.intersect(rect).intersect(ui.clip_rect());
    let mut cell_ui = ui.new_child(
        egui::UiBuilder::new()
            .scope_id(id)
            .max_rect(rect)
            .layout(egui::Layout::left_to_right(egui::Align::Center)),
    );
    cell_ui.set_clip_rect(clip);
    add_cell(&mut cell_ui, cell);
}
