//! A [`QuadraticProgram`] as CPLEX LP text, for re-solving in another solver.

use std::fmt::Write as _;

use super::{QuadraticProgram, Sense};

impl QuadraticProgram {
    /// The problem in CPLEX LP format, readable by HiGHS, Gurobi, CPLEX, SCIP, GLPK (LP
    /// part) and others. Names are sanitised to the format's character set.
    ///
    /// # Panics
    ///
    /// On a program built [`QuadraticProgram::unnamed`], which has no names to write.
    pub fn to_lp_string(&self, title: &str) -> String {
        // Empty names would make every variable one unnamed column.
        assert!(
            !self.nameless,
            "LP text needs names: build the program with names (not `unnamed`)"
        );
        let names = unique_lp_names(&self.names);
        let row_names =
            unique_lp_names(&self.rows.iter().map(|r| r.name.clone()).collect::<Vec<_>>());
        let mut out = String::new();
        let _ = writeln!(out, "\\ {title}");
        let _ = writeln!(
            out,
            "\\ Written by rareflow. Objective in US$ million, quantities in kt."
        );
        out.push_str("Minimize\n obj:");
        let mut line_length = 0;
        let mut wrap = |out: &mut String, term: String| {
            if line_length + term.len() > 200 {
                out.push_str("\n     ");
                line_length = 0;
            }
            line_length += term.len();
            out.push_str(&term);
        };
        for (j, &c) in self.linear.iter().enumerate() {
            if c != 0.0 {
                wrap(
                    &mut out,
                    format!(" {} {}", signed(c), lp_name(&self.names[j])),
                );
            }
        }
        let quadratic: Vec<usize> = (0..self.var_count())
            .filter(|&j| self.quadratic[j] != 0.0)
            .collect();
        if self.constant != 0.0 {
            wrap(&mut out, format!(" {}", signed(self.constant)));
        }
        if !quadratic.is_empty() {
            wrap(&mut out, " + [".to_owned());
            for &j in &quadratic {
                wrap(
                    &mut out,
                    format!(
                        " {} {} ^2",
                        signed(self.quadratic[j]),
                        lp_name(&self.names[j])
                    ),
                );
            }
            wrap(&mut out, " ] / 2".to_owned());
        }
        out.push_str("\nSubject To\n");
        for (row, row_name) in self.rows.iter().zip(&row_names) {
            let mut line = format!(" {row_name}:");
            for (var, a) in &row.terms {
                let _ = write!(line, " {} {}", signed(*a), names[var.0]);
            }
            if row.terms.is_empty() {
                let _ = write!(line, " 0 {}", names[0]);
            }
            let sense = match row.sense {
                Sense::Equal => "=",
                Sense::AtMost => "<=",
            };
            let _ = writeln!(line, " {sense} {}", number(row.rhs));
            out.push_str(&line);
        }
        out.push_str("Bounds\n");
        for (j, name) in names.iter().enumerate() {
            let (lower, upper) = (self.lower[j], self.upper[j]);
            let _ = if lower == upper {
                writeln!(out, " {name} = {}", number(lower))
            } else if upper.is_finite() {
                writeln!(out, " {} <= {name} <= {}", number(lower), number(upper))
            } else {
                writeln!(out, " {name} >= {}", number(lower))
            };
        }
        out.push_str("End\n");
        out
    }
}

/// LP names for `names`, made unique: sanitising can map two names to one, and a
/// repeated name would silently merge two variables in the file.
pub(super) fn unique_lp_names(names: &[String]) -> Vec<String> {
    let mut seen = std::collections::BTreeSet::new();
    names
        .iter()
        .map(|name| {
            let base = lp_name(name);
            let mut candidate = base.clone();
            let mut counter = 1;
            while !seen.insert(candidate.clone()) {
                counter += 1;
                candidate = format!("{base}#{counter}");
            }
            candidate
        })
        .collect()
}

/// A number with an explicit sign for LP terms: `+ 3`, `- 0.5`.
fn signed(value: f64) -> String {
    if value < 0.0 {
        format!("- {}", number(-value))
    } else {
        format!("+ {}", number(value))
    }
}

/// Full precision, no exponent surprises: Rust's shortest round-trip form.
fn number(value: f64) -> String {
    if value == f64::INFINITY {
        "inf".to_owned()
    } else if value == f64::NEG_INFINITY {
        "-inf".to_owned()
    } else {
        format!("{value:?}")
    }
}

/// An LP-format name: letters, digits and `_ . # ( ) ,` only, not starting with a digit.
pub fn lp_name(name: &str) -> String {
    let mut sanitised: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "_.#(),".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if sanitised.starts_with(|c: char| c.is_ascii_digit() || c == '.') {
        sanitised.insert(0, '_');
    }
    sanitised
}
