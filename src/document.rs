//! The open document: a scenario, the file it came from, whether it has unsaved changes,
//! and labelled undo/redo.
//!
//! Undo keeps whole snapshots of the scenario (a few hundred kB; bounded to
//! [`UNDO_LIMIT`] steps). Edits made while a slider is dragged merge into one step: the
//! app applies them with `merge = true` and calls [`Document::end_merge`] when the pointer
//! is released.
//!
//! An edit that leaves the scenario as it was is no edit: it is not recorded, does not
//! change the revision and does not make the document unsaved. Widgets may report a
//! "change" when they only show a value (rounding it to their step, say); the document
//! stays unchanged whatever they report.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::model::{Edit, EditError, Scenario};

/// Undo steps kept.
pub const UNDO_LIMIT: usize = 100;

/// The next revision handed out, in the whole process.
static NEXT_REVISION: AtomicU64 = AtomicU64::new(1);

/// A revision no document of this process has had: results solved for a closed
/// document can then never pass for the open one's.
fn fresh_revision() -> u64 {
    NEXT_REVISION.fetch_add(1, Ordering::Relaxed)
}

struct Snapshot {
    label: String,
    scenario: Scenario,
    revision: u64,
}

/// The open scenario with its history.
pub struct Document {
    scenario: Scenario,
    path: Option<PathBuf>,
    revision: u64,
    saved_revision: Option<u64>,
    undo: Vec<Snapshot>,
    redo: Vec<Snapshot>,
    open_merge: Option<String>,
}

impl Document {
    /// A document for `scenario`; `path` is where it was loaded from (None: not saved yet,
    /// and unsaved until it is).
    pub fn new(scenario: Scenario, path: Option<PathBuf>) -> Self {
        let revision = fresh_revision();
        let saved_revision = path.as_ref().map(|_| revision);
        Self {
            scenario,
            path,
            revision,
            saved_revision,
            undo: Vec::new(),
            redo: Vec::new(),
            open_merge: None,
        }
    }

    /// A document restored from a recovery file: unsaved changes to `path` (None: never
    /// saved). A save writes them to `path`, as if the crash had not happened.
    pub fn recovered(scenario: Scenario, path: Option<PathBuf>) -> Self {
        let mut document = Self::new(scenario, path);
        document.saved_revision = None;
        document
    }

    /// A document for the built-in baseline: nothing to save until it is edited.
    pub fn built_in(scenario: Scenario) -> Self {
        let mut document = Self::new(scenario, None);
        document.saved_revision = Some(document.revision);
        document
    }

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }

    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    /// Names the scenario's content: it changes with every edit, undo and redo, and an
    /// undo returns to the revision the scenario had then. Never shared with another
    /// document of this process (the solve worker keys results on it).
    pub fn revision(&self) -> u64 {
        self.revision
    }

    pub fn is_dirty(&self) -> bool {
        self.saved_revision != Some(self.revision)
    }

    /// Applies an edit and says whether it changed the scenario. With `merge`, an edit of
    /// the same thing as the previous merged edit joins its undo step (a slider being
    /// dragged). An edit that changes nothing leaves the document exactly as it was.
    pub fn apply(&mut self, edit: &Edit, merge: bool) -> Result<bool, EditError> {
        let mut edited = self.scenario.clone();
        edited.apply(edit)?;
        if edited == self.scenario {
            return Ok(false);
        }
        let key = edit.merge_key();
        let joins = merge && self.open_merge.as_deref() == Some(key.as_str());
        let before = std::mem::replace(&mut self.scenario, edited);
        if !joins {
            self.undo.push(Snapshot {
                label: edit.label(&self.scenario),
                scenario: before,
                revision: self.revision,
            });
            if self.undo.len() > UNDO_LIMIT {
                self.undo.remove(0);
            }
        }
        self.redo.clear();
        self.open_merge = merge.then_some(key);
        self.revision = fresh_revision();
        Ok(true)
    }

    /// Puts `scenario` in place of the open one as one undoable step labelled `label`
    /// (an import of tables); false when it is the same scenario. The caller validates.
    pub fn replace_scenario(&mut self, scenario: Scenario, label: &str) -> bool {
        if scenario == self.scenario {
            return false;
        }
        let before = std::mem::replace(&mut self.scenario, scenario);
        self.undo.push(Snapshot {
            label: label.to_owned(),
            scenario: before,
            revision: self.revision,
        });
        if self.undo.len() > UNDO_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
        self.open_merge = None;
        self.revision = fresh_revision();
        true
    }

    /// Ends a merged run of edits (the slider was released).
    pub fn end_merge(&mut self) {
        self.open_merge = None;
    }

    /// "Undo: capacity of Lynas Malaysia", if there is anything to undo.
    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|s| s.label.as_str())
    }

    /// Steps back; false when there is nothing to undo.
    pub fn undo(&mut self) -> bool {
        self.open_merge = None;
        let Some(snapshot) = self.undo.pop() else {
            return false;
        };
        let current = std::mem::replace(&mut self.scenario, snapshot.scenario);
        self.redo.push(Snapshot {
            label: snapshot.label,
            scenario: current,
            revision: self.revision,
        });
        self.revision = snapshot.revision;
        true
    }

    /// Steps forward again; false when there is nothing to redo.
    pub fn redo(&mut self) -> bool {
        self.open_merge = None;
        let Some(snapshot) = self.redo.pop() else {
            return false;
        };
        let current = std::mem::replace(&mut self.scenario, snapshot.scenario);
        self.undo.push(Snapshot {
            label: snapshot.label,
            scenario: current,
            revision: self.revision,
        });
        self.revision = snapshot.revision;
        true
    }

    /// Saves to `path` atomically and remembers it as the document's file.
    pub fn save_as(&mut self, path: &Path) -> Result<(), crate::io::SaveError> {
        crate::io::save(path, &self.scenario)?;
        self.path = Some(path.to_owned());
        self.saved_revision = Some(self.revision);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lynas_capacity(document: &Document) -> f64 {
        document
            .scenario()
            .node("SEP-MYS-lynas_malaysia_gebeng")
            .expect("node")
            .capacity_t_per_yr
    }

    fn drag_to(document: &mut Document, t: f64) {
        let edit = Edit::SetNodeCapacity {
            node: "SEP-MYS-lynas_malaysia_gebeng".to_owned(),
            capacity_t_per_yr: t,
        };
        document.apply(&edit, true).expect("applies");
    }

    #[test]
    fn a_drag_undoes_as_one_labelled_step() {
        let mut document = Document::built_in(crate::baseline().expect("loads"));
        assert!(!document.is_dirty());
        for t in [23_000.0, 25_000.0, 30_000.0] {
            drag_to(&mut document, t);
        }
        document.end_merge();
        assert!(document.is_dirty());
        assert_eq!(
            document.undo_label(),
            Some("capacity of Lynas Malaysia (Gebeng, Kuantan)")
        );
        assert!(document.undo());
        assert_eq!(lynas_capacity(&document), 22_600.0);
        assert!(!document.is_dirty(), "back where it was saved");
        assert!(!document.undo(), "one step only");
        assert!(document.redo());
        assert_eq!(lynas_capacity(&document), 30_000.0);
    }

    #[test]
    fn a_second_drag_is_a_second_step_and_new_edits_clear_redo() {
        let mut document = Document::built_in(crate::baseline().expect("loads"));
        drag_to(&mut document, 24_000.0);
        document.end_merge();
        drag_to(&mut document, 26_000.0);
        document.end_merge();
        assert!(document.undo());
        assert_eq!(lynas_capacity(&document), 24_000.0);
        assert!(document.redo_label().is_some());
        let toggle = Edit::SetPolicyEnabled {
            policy: "vn-raw-ore-ban".to_owned(),
            enabled: true,
        };
        document.apply(&toggle, false).expect("applies");
        assert_eq!(document.redo_label(), None);
        assert_eq!(
            document.undo_label(),
            Some("switch on Vietnam bans raw rare-earth ore exports")
        );
    }

    #[test]
    fn a_refused_edit_changes_nothing() {
        let mut document = Document::built_in(crate::baseline().expect("loads"));
        let before = document.revision();
        let bad = Edit::SetNodeCapacity {
            node: "SEP-MYS-lynas_malaysia_gebeng".to_owned(),
            capacity_t_per_yr: f64::NAN,
        };
        let error = document.apply(&bad, false).expect_err("NaN is refused");
        assert_eq!(
            error.to_string(),
            "capacity must be a finite number ≥ 0 (got NaN)"
        );
        assert_eq!(document.revision(), before);
        assert_eq!(document.undo_label(), None);
        assert_eq!(lynas_capacity(&document), 22_600.0);
    }

    #[test]
    fn a_refinerys_circuits_follow_its_capacity() {
        let mut document = Document::built_in(crate::baseline().expect("loads"));
        drag_to(&mut document, 45_200.0);
        let node = document
            .scenario()
            .node("SEP-MYS-lynas_malaysia_gebeng")
            .expect("node");
        assert_eq!(node.circuit_capacity_in("NDPR", 2024, 1.0), 21_000.0);
        assert!(crate::model::validate(document.scenario()).is_empty());
    }

    #[test]
    fn an_edit_that_changes_nothing_is_no_edit() {
        let mut document = Document::built_in(crate::baseline().expect("loads"));
        let revision = document.revision();
        let same = Edit::SetNodeCapacity {
            node: "SEP-MYS-lynas_malaysia_gebeng".to_owned(),
            capacity_t_per_yr: 22_600.0,
        };
        assert!(!document.apply(&same, false).expect("applies"));
        assert!(!document.apply(&same, true).expect("applies"));
        assert_eq!(document.revision(), revision);
        assert!(!document.is_dirty());
        assert_eq!(document.undo_label(), None);

        // Inside a drag, holding still neither ends the step nor adds one.
        drag_to(&mut document, 24_000.0);
        let dragged = document.revision();
        drag_to(&mut document, 24_000.0);
        assert_eq!(document.revision(), dragged);
        drag_to(&mut document, 25_000.0);
        document.end_merge();
        assert!(document.undo());
        assert_eq!(lynas_capacity(&document), 22_600.0);
        assert_eq!(
            document.revision(),
            revision,
            "undo returns to the revision"
        );
        assert!(!document.undo(), "one step");
    }

    #[test]
    fn a_replaced_scenario_undoes_as_one_step() {
        let mut document = Document::built_in(crate::baseline().expect("loads"));
        let mut edited = document.scenario().clone();
        edited.nodes[0].capacity_t_per_yr += 1.0;
        edited.policies.clear();
        assert!(!document.replace_scenario(document.scenario().clone(), "same"));
        assert!(document.replace_scenario(edited.clone(), "import of tables"));
        assert_eq!(document.scenario(), &edited);
        assert!(document.is_dirty());
        assert_eq!(document.undo_label(), Some("import of tables"));
        assert!(document.undo());
        assert!(!document.is_dirty());
        assert!(!document.scenario().policies.is_empty());
        assert!(!document.undo(), "one step");
        assert!(document.redo());
        assert_eq!(document.scenario(), &edited);
    }

    #[test]
    fn revisions_never_repeat_across_documents() {
        let baseline = crate::baseline().expect("loads");
        let mut first = Document::built_in(baseline.clone());
        drag_to(&mut first, 30_000.0);
        let second = Document::built_in(baseline);
        assert_ne!(second.revision(), first.revision());
        assert!(second.revision() > first.revision());
        assert!(!second.is_dirty());
    }

    #[test]
    fn saving_clears_the_dirty_flag_and_sets_the_path() {
        let folder = tempfile::tempdir().expect("temp dir");
        let path = folder.path().join("mine.ron");
        let mut document = Document::new(crate::baseline().expect("loads"), None);
        assert!(document.is_dirty(), "a new, never saved document");
        document.save_as(&path).expect("saves");
        assert!(!document.is_dirty());
        assert_eq!(document.path(), Some(path.as_path()));
        assert_eq!(&crate::io::load(&path).expect("loads"), document.scenario());
    }
}
