//! The stats snapshot of `get_command_center_p0_stats_v2`, typed.


/// One normalized snapshot of the command-center stats RPC. Field names are
/// the RPC's own (snake_case), so code written against the original payload
/// keeps working. `issues` lists what normalization had to correct or found
/// unexpected (contract drift); it is empty for a clean payload.
#[derive(Debug, Clone, PartialEq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
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
#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
pub struct StatsIssue {
    pub field: String,
    pub code: IssueCode,
    pub message: String,
}

/// Why a field needed attention.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(feature = "ts", derive(serde::Serialize, ts_rs::TS))]
#[cfg_attr(feature = "ts", serde(rename_all = "snake_case"))]
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

    /// The code as it crosses (snake_case; a test holds it to serde's name).
    pub fn as_str(self) -> &'static str {
        match self {
            IssueCode::Missing => "missing",
            IssueCode::Null => "null",
            IssueCode::WrongType => "wrong_type",
            IssueCode::Unparsable => "unparsable",
            IssueCode::NotFinite => "not_finite",
            IssueCode::Negative => "negative",
            IssueCode::NotInteger => "not_integer",
            IssueCode::InvalidDate => "invalid_date",
            IssueCode::UnknownField => "unknown_field",
            IssueCode::ExtraRows => "extra_rows",
            IssueCode::TooLong => "too_long",
            IssueCode::TooManyIssues => "too_many_issues",
        }
    }

    /// The code named by its snake_case text.
    pub fn parse(text: &str) -> Option<Self> {
        IssueCode::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

impl StatsIssue {
    /// Issues a snapshot carried through JSON before (`{field, code, message}`
    /// each, other members ignored); `None` when any one is not such an issue.
    pub fn list_from_json(value: &serde_json::Value) -> Option<Vec<StatsIssue>> {
        // A plain loop: collecting into `Option<Vec<_>>` costs its own adapter code in the wasm.
        let items = value.as_array()?;
        let mut issues = Vec::with_capacity(items.len());
        for item in items {
            let text = |k: &str| item.get(k).and_then(serde_json::Value::as_str).map(str::to_string);
            let code = IssueCode::parse(item.get("code")?.as_str()?)?;
            issues.push(StatsIssue { field: text("field")?, code, message: text("message")? });
        }
        Some(issues)
    }
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

    /// `as_str` is serde's name for every code (the generated TS type uses serde's).
    #[test]
    fn issue_code_names_are_serdes() {
        for code in IssueCode::ALL {
            assert_eq!(serde_json::to_value(code).ok(), Some(serde_json::Value::from(code.as_str())));
            assert_eq!(IssueCode::parse(code.as_str()), Some(code));
        }
    }

    #[test]
    fn issues_read_back_from_json() {
        let issue = StatsIssue { field: "sealed".into(), code: IssueCode::Negative, message: "m".into() };
        let json = serde_json::json!([issue, {"field": "x", "code": "missing", "message": "", "extra": 1}]);
        assert_eq!(StatsIssue::list_from_json(&json).map(|v| v.len()), Some(2));
        assert_eq!(StatsIssue::list_from_json(&json).and_then(|v| v.into_iter().next()), Some(issue));
        for bad in [serde_json::json!([{"field": "x", "code": "nope", "message": ""}]), serde_json::json!([{"field": "x", "code": "missing"}]), serde_json::json!({})] {
            assert_eq!(StatsIssue::list_from_json(&bad), None, "{bad}");
        }
    }
}
