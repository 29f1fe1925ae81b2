//! How numbers are shown to people: tonnes with thousands separators or in kt, prices in
//! $/kg, shares in %.

/// Tonnes with thousands separators, rounded to whole tonnes: `12,345`.
pub fn tonnes(t: f64) -> String {
    whole_number(t)
}

/// Any amount rounded to a whole number, with thousands separators: `50,000`.
pub fn whole_number(t: f64) -> String {
    if !t.is_finite() {
        return t.to_string();
    }
    let rounded = t.round();
    let digits = format!("{:.0}", rounded.abs());
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (index, digit) in digits.chars().enumerate() {
        if index > 0 && (digits.len() - index) % 3 == 0 {
            grouped.push(',');
        }
        grouped.push(digit);
    }
    if rounded < 0.0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// Tonnes in a short form for labels: `850 t`, `12.3 kt`, `1.25 Mt`.
pub fn tonnes_short(t: f64) -> String {
    let magnitude = t.abs();
    if magnitude >= 1e6 {
        format!("{:.2} Mt", t / 1e6)
    } else if magnitude >= 1e4 {
        format!("{:.1} kt", t / 1e3)
    } else if magnitude >= 1e3 {
        format!("{:.2} kt", t / 1e3)
    } else {
        format!("{t:.0} t")
    }
}

/// A share as a percentage with one decimal: `93.6 %`.
pub fn percent(share: f64) -> String {
    format!("{:.1} %", share * 100.0)
}

/// A price in US$ per kg with sensible precision: `0.97 $/kg`, `55.0 $/kg`, `346 $/kg`.
pub fn usd_per_kg(price: f64) -> String {
    if price.abs() >= 100.0 {
        format!("{price:.0} $/kg")
    } else if price.abs() >= 10.0 {
        format!("{price:.1} $/kg")
    } else {
        format!("{price:.2} $/kg")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_read_as_a_planner_expects() {
        assert_eq!(tonnes(0.0), "0");
        assert_eq!(tonnes(999.4), "999");
        assert_eq!(tonnes(270_000.0), "270,000");
        assert_eq!(tonnes(-1_234_567.0), "-1,234,567");
        assert_eq!(tonnes_short(850.0), "850 t");
        assert_eq!(tonnes_short(2_600.0), "2.60 kt");
        assert_eq!(tonnes_short(12_345.0), "12.3 kt");
        assert_eq!(tonnes_short(1_250_000.0), "1.25 Mt");
        assert_eq!(percent(0.936), "93.6 %");
        assert_eq!(usd_per_kg(0.97), "0.97 $/kg");
        assert_eq!(usd_per_kg(55.0), "55.0 $/kg");
        assert_eq!(usd_per_kg(345.9), "346 $/kg");
    }
}
