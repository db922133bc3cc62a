//! The stats snapshot of `get_command_center_p0_stats_v2`, typed.

use serde::{Deserialize, Serialize};

/// One normalized snapshot of the command-center stats RPC. Field names are
/// the RPC's own (snake_case), so code written against the original payload
/// keeps working. `issues` lists what normalization had to correct or found
/// unexpected (contract drift); it is empty for a clean payload.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct CommandCenterP0Stats {
    pub site_id: String,
    pub date_from: String,
    pub date_to: String,
    pub ads_only: bool,
    pub queue_pending: f64,
    pub sealed: f64,
    pub junk: f64,
    pub auto_approved: f64,
    pub oci_uploaded: f64,
    pub oci_failed: f64,
    pub oci_matchable_sealed: f64,
    pub assumed_cpc: f64,
    pub currency: String,
    pub estimated_budget_saved: f64,
    pub projected_revenue: f64,
    pub total_leads: f64,
    pub gclid_leads: f64,
    pub avg_scroll_depth: f64,
    pub inbox_zero_now: bool,
    pub issues: Vec<StatsIssue>,
}

/// Something normalization corrected or reported, naming the field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct StatsIssue {
    pub field: String,
    pub code: IssueCode,
    pub message: String,
}

/// Why a field needed attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "snake_case")]
pub enum IssueCode {
    /// The field is absent: the default was used.
    Missing,
    /// The field is `null`: the default was used.
    Null,
    /// The field has a JSON type the contract does not allow: the default was used.
    WrongType,
    /// A string that is not a number: the default was used.
    Unparsable,
    /// NaN or ±Infinity: the default was used.
    NotFinite,
    /// A negative count: 0 was used.
    Negative,
    /// A fractional count: rounded down.
    NotInteger,
    /// `date_from`/`date_to` is not an ISO-8601 instant: the live overlay cannot be matched to it.
    InvalidDate,
    /// A field the contract does not know (contract drift): not passed through.
    UnknownField,
    /// PostgREST returned more than one row: the first was used.
    ExtraRows,
    /// A text field longer than the cap: cut, marked with `…`.
    TooLong,
    /// More issues than a snapshot keeps: the rest are counted in this one.
    TooManyIssues,
}

impl IssueCode {
    /// Every issue code, in declaration order (the TS types are generated from this list).
    pub const ALL: [Self; 12] = [IssueCode::Missing, IssueCode::Null, IssueCode::WrongType, IssueCode::Unparsable, IssueCode::NotFinite, IssueCode::Negative, IssueCode::NotInteger, IssueCode::InvalidDate, IssueCode::UnknownField, IssueCode::ExtraRows, IssueCode::TooLong, IssueCode::TooManyIssues];
}

/// How a field is validated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldKind {
    /// A non-negative whole number.
    Count,
    /// A finite amount (money, averages); may be fractional.
    Amount,
    /// A string; `date_from`/`date_to` are additionally checked as instants.
    Text,
    /// A boolean.
    Flag,
}

/// The contract, in the RPC's order.
pub(crate) const FIELDS: [(&str, FieldKind); 19] = [
    ("site_id", FieldKind::Text),
    ("date_from", FieldKind::Text),
    ("date_to", FieldKind::Text),
    ("ads_only", FieldKind::Flag),
    ("queue_pending", FieldKind::Count),
    ("sealed", FieldKind::Count),
    ("junk", FieldKind::Count),
    ("auto_approved", FieldKind::Count),
    ("oci_uploaded", FieldKind::Count),
    ("oci_failed", FieldKind::Count),
    ("oci_matchable_sealed", FieldKind::Count),
    ("assumed_cpc", FieldKind::Amount),
    ("currency", FieldKind::Text),
    ("estimated_budget_saved", FieldKind::Amount),
    ("projected_revenue", FieldKind::Amount),
    ("total_leads", FieldKind::Count),
    ("gclid_leads", FieldKind::Count),
    ("avg_scroll_depth", FieldKind::Amount),
    ("inbox_zero_now", FieldKind::Flag),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// `FIELDS` (what normalization knows) and the struct (what crosses, and
    /// what the TS type is generated from) name the same fields.
    #[test]
    fn the_contract_list_is_the_struct() {
        let stats = crate::stats::normalize_p0_stats(&serde_json::json!({"sealed": 1}));
        let mut keys: Vec<String> = match stats.map(serde_json::to_value) {
            Some(Ok(serde_json::Value::Object(map))) => map.keys().filter(|k| *k != "issues").cloned().collect(),
            _ => Vec::new(),
        };
        let mut names: Vec<&str> = FIELDS.iter().map(|(name, _)| *name).collect();
        keys.sort();
        names.sort_unstable();
        assert_eq!(keys, names);
    }
}
