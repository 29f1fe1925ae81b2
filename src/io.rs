//! Scenario files: RON with a `format_version`, migrations, atomic saves.
//!
//! A file is the scenario's fields preceded by `format_version`:
//!
//! ```ron
//! (
//!     format_version: 1,
//!     meta: (name: "Baseline 2024", ...),
//!     commodities: [...],
//!     ...
//! )
//! ```
//!
//! Loading reads at most [`MAX_FILE_BYTES`], reports syntax errors with line and column,
//! refuses files newer than [`FORMAT_VERSION`], brings older files up to date one
//! [`Migration`] at a time, and (in [`load`]) validates the result. Saving writes a
//! temporary file in the target folder, flushes it to disk and renames it over the target,
//! so a failed save never leaves a half-written file behind.

use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::{
    Commodity, Contract, Country, Demand, ExpansionOption, InputCorrelation, Metadata, Node,
    Policy, Problem, Region, Scenario, Source, TradeCosts, UncertainInput, validate,
};

/// The format this build writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 2;

/// Files larger than this are refused before they are read (64 MiB).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// The first lines of every saved file.
const FILE_HEADER: &str = "\
// rareflow scenario file; the format is described in rareflow's README.md.
// Units: t/yr of rare-earth oxide (t REO) for concentrate and oxides, t/yr of NdFeB for
// magnets, US$/kg for prices and costs. Every number carries its `source`.
";

/// Why a scenario could not be loaded. Every variant names where the text came from.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("{origin}: cannot read the file: {source}")]
    Read {
        origin: String,
        source: std::io::Error,
    },
    #[error(
        "{origin}: the file is {size_bytes} bytes; scenario files over {} MiB are refused",
        MAX_FILE_BYTES / (1024 * 1024)
    )]
    TooLarge { origin: String, size_bytes: u64 },
    #[error("{origin}:{line}:{column}: {message}")]
    Syntax {
        origin: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{origin}: the file has no `format_version` field; is it a rareflow scenario?")]
    NoVersion { origin: String },
    #[error(
        "{origin}: the file has format_version {found}, newer than this rareflow reads (up to \
         {FORMAT_VERSION}); open it with a newer rareflow"
    )]
    TooNew { origin: String, found: u32 },
    #[error("{origin}: cannot bring format_version {from} up to date: {message}")]
    Migration {
        origin: String,
        from: u32,
        message: String,
    },
    #[error("{origin}: the scenario has {} problem(s):\n{}", problems.len(), list_problems(problems))]
    Invalid {
        origin: String,
        problems: Vec<Problem>,
    },
}

fn list_problems(problems: &[Problem]) -> String {
    problems
        .iter()
        .map(|problem| format!("  - {problem}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Why a scenario could not be saved.
#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("{path}: cannot write the file: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write the scenario as RON: {0}")]
    Serialize(#[from] ron::Error),
}

/// One step of the migration chain: turns a file of `from_version` into one of
/// `from_version + 1`, updating `format_version` too.
///
/// A step receives and returns the file's text. A step that needs structure parses the
/// text into a frozen copy of the old format's types, converts, and writes the new format.
#[derive(Clone, Copy)]
pub struct Migration {
    pub from_version: u32,
    pub apply: fn(String) -> Result<String, String>,
}

/// The migrations this build knows, oldest first. Version 1 is the first format.
pub const MIGRATIONS: &[Migration] = &[Migration {
    from_version: 1,
    apply: version_1_to_2,
}];

/// Version 2 added `uncertainty` (ranges on inputs), which a version-1 file does not have
/// and which defaults to none: only the version number changes. The number is rewritten in
/// place, digit for digit, so errors later in the file keep their lines and columns.
fn version_1_to_2(text: String) -> Result<String, String> {
    let digit = version_digit(&text).ok_or_else(|| "format_version is not 1".to_owned())?;
    let mut migrated = text;
    migrated.replace_range(digit..=digit, "2");
    Ok(migrated)
}

/// Where the `1` of the field `format_version: 1` is: the first `format_version` outside a
/// line comment that a colon follows.
fn version_digit(text: &str) -> Option<usize> {
    const KEY: &str = "format_version";
    let mut lines_start = 0;
    for line in text.split_inclusive('\n') {
        let code = line.split("//").next().unwrap_or_default();
        if let Some(key) = code.find(KEY) {
            let rest = code[key + KEY.len()..].trim_start();
            if let Some(value) = rest.strip_prefix(':') {
                let value = value.trim_start();
                let at = lines_start + (code.len() - value.len());
                let single_one =
                    value.starts_with('1') && !value[1..].starts_with(|c: char| c.is_ascii_digit());
                return single_one.then_some(at);
            }
        }
        lines_start += line.len();
    }
    None
}

/// The file as serde sees it (reading): the scenario's fields after `format_version`.
///
/// Unknown fields are refused, here and in every model type: a misspelt field would
/// otherwise load as valid with its default in place of the value the user meant. Only the
/// current format is read with these types; older files are migrated as text first.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioFile {
    #[expect(
        dead_code,
        reason = "read by the version probe; kept so the field is allowed"
    )]
    format_version: u32,
    meta: Metadata,
    commodities: Vec<Commodity>,
    regions: Vec<Region>,
    countries: Vec<Country>,
    nodes: Vec<Node>,
    demand: Vec<Demand>,
    trade: TradeCosts,
    policies: Vec<Policy>,
    #[serde(default)]
    expansion: Vec<ExpansionOption>,
    #[serde(default)]
    contracts: Vec<Contract>,
    #[serde(default)]
    uncertainty: Vec<UncertainInput>,
    #[serde(default)]
    correlations: Vec<InputCorrelation>,
    #[serde(default)]
    sources: Vec<Source>,
}

/// The file as serde sees it (writing), borrowing the scenario; same field order.
#[derive(Serialize)]
struct ScenarioFileRef<'a> {
    format_version: u32,
    meta: &'a Metadata,
    commodities: &'a [Commodity],
    regions: &'a [Region],
    countries: &'a [Country],
    nodes: &'a [Node],
    demand: &'a [Demand],
    trade: &'a TradeCosts,
    policies: &'a [Policy],
    #[serde(skip_serializing_if = "<[ExpansionOption]>::is_empty")]
    expansion: &'a [ExpansionOption],
    #[serde(skip_serializing_if = "<[Contract]>::is_empty")]
    contracts: &'a [Contract],
    #[serde(skip_serializing_if = "<[UncertainInput]>::is_empty")]
    uncertainty: &'a [UncertainInput],
    #[serde(skip_serializing_if = "<[InputCorrelation]>::is_empty")]
    correlations: &'a [InputCorrelation],
    sources: &'a [Source],
}

/// Reads only `format_version`, ignoring every other field.
#[derive(Deserialize)]
struct VersionProbe {
    /// A bare number in the file (RON would want `Some(1)` for a plain `Option`).
    #[serde(default, deserialize_with = "bare_number")]
    format_version: Option<u32>,
}

fn bare_number<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<u32>, D::Error> {
    u32::deserialize(deserializer).map(Some)
}

fn syntax_error(origin: &str, error: &ron::error::SpannedError) -> LoadError {
    LoadError::Syntax {
        origin: origin.to_owned(),
        line: error.span.start.line,
        column: error.span.start.col,
        message: describe_ron_error(&error.code),
    }
}

/// RON's words for an error, except for a misspelt name, which gets the nearest name that
/// is allowed there ("unknown field `elasticty`, did you mean `elasticity`?"), or the list
/// of allowed names when none is near.
fn describe_ron_error(error: &ron::Error) -> String {
    match error {
        ron::Error::NoSuchStructField {
            expected, found, ..
        } => describe_unknown_name("field", found, expected),
        ron::Error::NoSuchEnumVariant {
            expected, found, ..
        } => describe_unknown_name("variant", found, expected),
        other => other.to_string(),
    }
}

fn describe_unknown_name(what: &str, found: &str, expected: &[&str]) -> String {
    match nearest_name(found, expected) {
        Some(nearest) => format!("unknown {what} `{found}`, did you mean `{nearest}`?"),
        None if expected.is_empty() => format!("unknown {what} `{found}`; none is allowed here"),
        None => format!(
            "unknown {what} `{found}`; expected one of {}",
            expected
                .iter()
                .map(|name| format!("`{name}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

/// The allowed name closest to `found` by edit distance (ignoring case), if it is close
/// enough to be a slip of the keyboard: at most a third of the name's letters differ
/// (at least 2, so short names get a suggestion too).
fn nearest_name<'a>(found: &str, expected: &[&'a str]) -> Option<&'a str> {
    let found_lower = found.to_lowercase();
    let allowed_edits = (found.chars().count() / 3).max(2);
    expected
        .iter()
        .map(|&name| (edit_distance(&found_lower, &name.to_lowercase()), name))
        .filter(|&(distance, _)| distance <= allowed_edits)
        .min_by_key(|&(distance, _)| distance)
        .map(|(_, name)| name)
}

/// Levenshtein distance: the fewest insertions, deletions and substitutions of characters
/// that turn `a` into `b`.
fn edit_distance(a: &str, b: &str) -> usize {
    let b_chars: Vec<char> = b.chars().collect();
    let mut previous_row: Vec<usize> = (0..=b_chars.len()).collect();
    for (i, a_char) in a.chars().enumerate() {
        let mut row = Vec::with_capacity(b_chars.len() + 1);
        row.push(i + 1);
        for (j, &b_char) in b_chars.iter().enumerate() {
            let substitution = previous_row[j] + usize::from(a_char != b_char);
            let deletion = previous_row[j + 1] + 1;
            let insertion = row[j] + 1;
            row.push(substitution.min(deletion).min(insertion));
        }
        previous_row = row;
    }
    previous_row[b_chars.len()]
}

/// The `format_version` a text declares.
pub fn read_format_version(origin: &str, text: &str) -> Result<u32, LoadError> {
    let probe: VersionProbe = ron::from_str(text).map_err(|error| syntax_error(origin, &error))?;
    probe.format_version.ok_or_else(|| LoadError::NoVersion {
        origin: origin.to_owned(),
    })
}

/// Applies `migrations` to bring `text` from `from_version` to `to_version`, one version at a
/// time, checking after every step that the text declares the next version.
pub fn migrate_text(
    origin: &str,
    mut text: String,
    from_version: u32,
    to_version: u32,
    migrations: &[Migration],
) -> Result<String, LoadError> {
    let mut version = from_version;
    while version < to_version {
        let step = migrations
            .iter()
            .find(|step| step.from_version == version)
            .ok_or_else(|| LoadError::Migration {
                origin: origin.to_owned(),
                from: version,
                message: format!("no migration from format_version {version} is known"),
            })?;
        text = (step.apply)(text).map_err(|message| LoadError::Migration {
            origin: origin.to_owned(),
            from: version,
            message,
        })?;
        let reached = read_format_version(origin, &text)?;
        if reached != version + 1 {
            return Err(LoadError::Migration {
                origin: origin.to_owned(),
                from: version,
                message: format!(
                    "the step produced format_version {reached}, expected {}",
                    version + 1
                ),
            });
        }
        version = reached;
    }
    Ok(text)
}

/// Parses a scenario from text without validating it. `origin` names the text in errors
/// (a path, or e.g. "built-in baseline").
pub fn parse_str(origin: &str, text: &str) -> Result<Scenario, LoadError> {
    let version = read_format_version(origin, text)?;
    if version > FORMAT_VERSION {
        return Err(LoadError::TooNew {
            origin: origin.to_owned(),
            found: version,
        });
    }
    let migrated;
    let current_text = if version < FORMAT_VERSION {
        migrated = migrate_text(origin, text.to_owned(), version, FORMAT_VERSION, MIGRATIONS)?;
        migrated.as_str()
    } else {
        text
    };
    let file: ScenarioFile =
        ron::from_str(current_text).map_err(|error| syntax_error(origin, &error))?;
    Ok(Scenario {
        meta: file.meta,
        commodities: file.commodities,
        regions: file.regions,
        countries: file.countries,
        nodes: file.nodes,
        demand: file.demand,
        trade: file.trade,
        policies: file.policies,
        expansion: file.expansion,
        contracts: file.contracts,
        uncertainty: file.uncertainty,
        correlations: file.correlations,
        sources: file.sources,
    })
}

/// Parses and validates a scenario from text.
pub fn load_str(origin: &str, text: &str) -> Result<Scenario, LoadError> {
    let scenario = parse_str(origin, text)?;
    let problems = validate(&scenario);
    if problems.is_empty() {
        Ok(scenario)
    } else {
        Err(LoadError::Invalid {
            origin: origin.to_owned(),
            problems,
        })
    }
}

/// Reads a file's text, refusing files over [`MAX_FILE_BYTES`] before reading them.
pub fn read_text(path: &Path) -> Result<String, LoadError> {
    let origin = path.display().to_string();
    let read_error = |source| LoadError::Read {
        origin: origin.clone(),
        source,
    };
    let size_bytes = std::fs::metadata(path).map_err(read_error)?.len();
    if size_bytes > MAX_FILE_BYTES {
        return Err(LoadError::TooLarge { origin, size_bytes });
    }
    std::fs::read_to_string(path).map_err(read_error)
}

/// Reads a scenario file without validating it (for `rareflow validate`, which lists the
/// problems itself).
pub fn parse_file(path: &Path) -> Result<Scenario, LoadError> {
    parse_str(&path.display().to_string(), &read_text(path)?)
}

/// Reads and validates a scenario file.
pub fn load(path: &Path) -> Result<Scenario, LoadError> {
    load_str(&path.display().to_string(), &read_text(path)?)
}

/// The scenario as the text of a file of the current format.
pub fn to_ron_string(scenario: &Scenario) -> Result<String, SaveError> {
    let file = ScenarioFileRef {
        format_version: FORMAT_VERSION,
        meta: &scenario.meta,
        commodities: &scenario.commodities,
        regions: &scenario.regions,
        countries: &scenario.countries,
        nodes: &scenario.nodes,
        demand: &scenario.demand,
        trade: &scenario.trade,
        policies: &scenario.policies,
        expansion: &scenario.expansion,
        contracts: &scenario.contracts,
        uncertainty: &scenario.uncertainty,
        correlations: &scenario.correlations,
        sources: &scenario.sources,
    };
    let config = ron::ser::PrettyConfig::new()
        .struct_names(false)
        .indentor("    ")
        .new_line("\n");
    let body = ron::ser::to_string_pretty(&file, config)?;
    Ok(format!("{FILE_HEADER}{body}\n"))
}

/// Saves the scenario atomically: the old file stays as it was unless the new one was
/// written completely.
pub fn save(path: &Path, scenario: &Scenario) -> Result<(), SaveError> {
    let text = to_ron_string(scenario)?;
    write_atomically(path, |file| file.write_all(text.as_bytes()))
}

/// Writes a file atomically: `write` fills a temporary file in the same folder, which is
/// flushed to disk and then renamed over `path`. If anything fails, `path` is untouched and
/// the temporary file is removed.
pub fn write_atomically(
    path: &Path,
    write: impl FnOnce(&mut File) -> std::io::Result<()>,
) -> Result<(), SaveError> {
    let write_error = |source| SaveError::Write {
        path: path.to_owned(),
        source,
    };
    let folder = match path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temporary = tempfile::Builder::new()
        .prefix(".rareflow-save-")
        .suffix(".tmp")
        .tempfile_in(folder)
        .map_err(write_error)?;
    write(temporary.as_file_mut()).map_err(write_error)?;
    // The temporary file is private (0600); give the result the permissions of the file it
    // replaces, or the usual ones for a new document.
    let permissions = match std::fs::metadata(path) {
        Ok(existing) => existing.permissions(),
        Err(_) => default_permissions(temporary.as_file()).map_err(write_error)?,
    };
    temporary
        .as_file()
        .set_permissions(permissions)
        .map_err(write_error)?;
    temporary.as_file().sync_all().map_err(write_error)?;
    temporary
        .persist(path)
        .map_err(|error| write_error(error.error))?;
    Ok(())
}

#[cfg(unix)]
fn default_permissions(_file: &File) -> std::io::Result<std::fs::Permissions> {
    use std::os::unix::fs::PermissionsExt as _;
    Ok(std::fs::Permissions::from_mode(0o644))
}

#[cfg(not(unix))]
fn default_permissions(file: &File) -> std::io::Result<std::fs::Permissions> {
    Ok(file.metadata()?.permissions())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_insertions_deletions_and_substitutions() {
        assert_eq!(edit_distance("elasticty", "elasticity"), 1);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "meta"), 4);
        assert_eq!(edit_distance("meta", "meta"), 0);
    }

    #[test]
    fn the_nearest_name_is_suggested_only_when_it_is_near() {
        let fields = ["region", "elasticity", "growth_per_yr", "long_run"];
        assert_eq!(nearest_name("elasticty", &fields), Some("elasticity"));
        assert_eq!(nearest_name("Elasticity", &fields), Some("elasticity"));
        assert_eq!(nearest_name("regon", &fields), Some("region"));
        assert_eq!(nearest_name("no_such_field_zz", &fields), None);
        assert_eq!(nearest_name("x", &[]), None);
    }
}
