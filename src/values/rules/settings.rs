//! A built-in rule's settings, declared once with the rule (see the [guide](super#writing-a-built-in-rule)):
//! what the registry builds a rule from, reading a charter entry's settings as the rule
//! declares them and writing them back spelled out.
//!
//! Nothing here knows the charter: the registry takes an entry's settings as given
//! ([`Given`]) and hands back the rule, its settings spelled out and the decision kinds they
//! name ([`Built`]), or a [`SettingError`] the charter turns into a
//! [`CharterError`](crate::values::CharterError) naming the rule.

mod json;

use std::collections::BTreeSet;
use std::fmt;
use std::ops::RangeInclusive;
use std::sync::Arc;

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::decision::{DecisionKind, Tier};
use crate::limits::{self, InputError};
use crate::values::{ValueId, ValueRule};

pub(crate) use json::{Json, same_entries};

/// An exact fraction such as `1/2`, for shares compared without rounding.
///
/// Serialised as `{"numerator": 1, "denominator": 2}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Fraction {
    /// The top.
    pub numerator: u32,
    /// The bottom; a charter refuses 0.
    pub denominator: u32,
}

impl Fraction {
    /// `numerator / denominator`.
    pub const fn new(numerator: u32, denominator: u32) -> Self {
        Self {
            numerator,
            denominator,
        }
    }
}

impl fmt::Display for Fraction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.numerator, self.denominator)
    }
}

/// A type a built-in rule's setting may have: read from a charter entry's JSON and written
/// back to it.
pub(crate) trait Setting: Serialize + DeserializeOwned {
    /// The decision kinds the value names, which a charter checks against the built-in
    /// kinds and its `custom_kinds`.
    fn kinds(&self) -> Vec<DecisionKind> {
        Vec::new()
    }
}

impl Setting for u32 {}
impl Setting for bool {}
impl Setting for Tier {}
impl Setting for Fraction {}
impl Setting for BTreeSet<String> {}

impl Setting for BTreeSet<DecisionKind> {
    fn kinds(&self) -> Vec<DecisionKind> {
        self.iter().cloned().collect()
    }
}

/// The check of `allowed "…" if proper`: a fraction from 0 to 1 with a positive denominator.
pub(crate) fn proper(share: &Fraction) -> Result<(), String> {
    if share.denominator == 0 || share.numerator > share.denominator {
        Err(share.to_string())
    } else {
        Ok(())
    }
}

/// The check of `allowed "…" if non_blank`: no name is blank.
pub(crate) fn non_blank(names: &BTreeSet<String>) -> Result<(), String> {
    match names.iter().find(|name| crate::limits::is_blank(name)) {
        Some(blank) => Err(format!("{blank:?}")),
        None => Ok(()),
    }
}

/// Why a rule could not be built from its entry's settings. The charter adds the rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SettingError {
    /// The entry gives a setting the rule does not declare.
    NotTaken {
        /// The setting, as given.
        field: String,
    },
    /// A setting's value is not of the setting's type, or outside its range.
    OutOfRange {
        /// The setting.
        field: &'static str,
        /// The refused value (or the refused part of it), as text.
        value: String,
        /// The allowed values, in words.
        expected: &'static str,
    },
    /// A setting's value writes an object as a positional array.
    Positional {
        /// The setting.
        field: &'static str,
        /// Where inside the value, as a JSON path; empty for the whole value.
        path: String,
    },
    /// A setting could not be written back as JSON (not for any type a built-in setting
    /// has: kept so that building never panics).
    Unwritable {
        /// The setting.
        field: &'static str,
        /// What the writer reported.
        message: String,
    },
}

/// A charter entry's settings, as given: names and JSON, in the order written.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Given<'a>(pub(crate) &'a [(String, Json)]);

impl Given<'_> {
    /// Refuses the first setting given that is not among `declared`.
    pub(crate) fn only(&self, declared: &[&'static str]) -> Result<(), SettingError> {
        match self
            .0
            .iter()
            .find(|(name, _)| !declared.contains(&name.as_str()))
        {
            Some((name, _)) => Err(SettingError::NotTaken {
                field: name.clone(),
            }),
            None => Ok(()),
        }
    }

    /// Reads setting `field` as a `T`, if given. A value that is not a `T` is refused as out
    /// of range, `expected` saying what is allowed.
    pub(crate) fn read<T: Setting>(
        &self,
        field: &'static str,
        expected: &'static str,
    ) -> Result<Reading<T>, SettingError> {
        let Some((_, json)) = self.0.iter().find(|(name, _)| name == field) else {
            return Ok(Reading {
                field,
                expected,
                value: None,
            });
        };
        let text = json.to_string();
        match limits::from_json::<T>(&text) {
            Ok(value) => Ok(Reading {
                field,
                expected,
                value: Some(value),
            }),
            Err(InputError::Positional { path }) => Err(SettingError::Positional { field, path }),
            Err(_) => Err(SettingError::OutOfRange {
                field,
                value: limits::quote(&text).into_owned(),
                expected,
            }),
        }
    }
}

/// A setting read from an entry, before its range is checked and its default filled in.
#[derive(Debug)]
pub(crate) struct Reading<T> {
    field: &'static str,
    expected: &'static str,
    value: Option<T>,
}

impl<T> Reading<T> {
    /// Refuses a given value that `check` refuses; `check` returns the refused part as text.
    pub(crate) fn check(
        &self,
        check: impl FnOnce(&T) -> Result<(), String>,
    ) -> Result<(), SettingError> {
        match self.value.as_ref().map(check) {
            Some(Err(value)) => Err(SettingError::OutOfRange {
                field: self.field,
                value,
                expected: self.expected,
            }),
            _ => Ok(()),
        }
    }

    /// Refuses a given value outside `range`.
    pub(crate) fn within(&self, range: RangeInclusive<T>) -> Result<(), SettingError>
    where
        T: PartialOrd + fmt::Display,
    {
        self.check(|value| {
            if range.contains(value) {
                Ok(())
            } else {
                Err(value.to_string())
            }
        })
    }

    /// The value given, or else `default()`.
    pub(crate) fn or_else(self, default: impl FnOnce() -> T) -> T {
        self.value.unwrap_or_else(default)
    }
}

/// One setting spelled out: its name, its JSON and the decision kinds it names.
#[derive(Debug)]
pub(crate) struct Written {
    name: &'static str,
    json: Json,
    kinds: Vec<DecisionKind>,
}

impl Written {
    /// Writes setting `name`'s `value`.
    pub(crate) fn of<T: Setting>(name: &'static str, value: &T) -> Result<Self, SettingError> {
        let json = serde_json::to_value(value).map_err(|e| SettingError::Unwritable {
            field: name,
            message: limits::json_message(&e),
        })?;
        Ok(Self {
            name,
            json,
            kinds: value.kinds(),
        })
    }
}

/// A built-in rule built from its entry.
#[derive(Debug)]
pub(crate) struct Built {
    /// The rule.
    pub(crate) rule: Arc<dyn ValueRule>,
    /// Every setting it takes, spelled out, in the order declared.
    pub(crate) settings: Vec<(&'static str, Json)>,
    /// The decision kinds the settings name, each with the setting naming it.
    pub(crate) kinds: Vec<(&'static str, DecisionKind)>,
}

impl Built {
    /// `rule` with its settings written out.
    pub(crate) fn new(rule: impl ValueRule + 'static, written: Vec<Written>) -> Self {
        let mut settings = Vec::with_capacity(written.len());
        let mut kinds = Vec::new();
        for w in written {
            kinds.extend(w.kinds.into_iter().map(|kind| (w.name, kind)));
            settings.push((w.name, w.json));
        }
        Self {
            rule: Arc::new(rule),
            settings,
            kinds,
        }
    }
}

/// One setting as its rule declares it, for the documentation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct SettingInfo {
    /// The setting's name in a charter entry.
    pub(crate) name: &'static str,
    /// What it sets: the declaration's doc comment.
    pub(crate) doc: &'static str,
    /// The values it allows, in words: `1 to 365 days`.
    pub(crate) expected: &'static str,
}

/// A built-in rule as its `builtin!` declaration states it: what the registry lists.
#[derive(Clone, Copy)]
pub(crate) struct Builtin {
    /// The rule's id.
    pub(crate) id: &'static str,
    /// The value it serves unless its entry says otherwise.
    pub(crate) seed_value: fn() -> ValueId,
    /// Its settings, in the order declared.
    pub(crate) settings: &'static [SettingInfo],
    /// Builds the rule serving `value` from its entry's settings.
    pub(crate) build: fn(ValueId, Given<'_>) -> Result<Built, SettingError>,
}

impl fmt::Debug for Builtin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Builtin")
            .field("id", &self.id)
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
impl Builtin {
    /// The rule with its default settings, serving its seed value.
    pub(crate) fn by_default(&self) -> Result<Built, SettingError> {
        (self.build)((self.seed_value)(), Given::default())
    }

    /// The rule's rows of the settings table: rule, setting, default (as a charter spells it
    /// out), allowed values, and what it sets.
    pub(crate) fn table_rows(&self) -> String {
        let defaults = self.by_default().map(|b| b.settings).unwrap_or_default();
        let mut rows = String::new();
        for info in self.settings {
            let default = defaults
                .iter()
                .find(|(name, _)| *name == info.name)
                .map_or_else(|| String::from("?"), |(_, json)| json.to_string());
            rows.push_str(&format!(
                "| {} | `{}` | `{default}` | {} | {} |\n",
                self.id,
                info.name,
                info.expected,
                info.doc.trim(),
            ));
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn given(json: serde_json::Value) -> Vec<(String, Json)> {
        vec![(String::from("share"), json)]
    }

    #[test]
    fn a_value_not_of_the_type_is_out_of_range() {
        let entry = given(serde_json::json!("half"));
        let refused = Given(&entry)
            .read::<Fraction>("share", "a fraction")
            .unwrap_err();
        assert_eq!(
            refused,
            SettingError::OutOfRange {
                field: "share",
                value: r#""half""#.into(),
                expected: "a fraction"
            }
        );
        let entry = given(serde_json::json!([1, 3]));
        assert_eq!(
            Given(&entry)
                .read::<Fraction>("share", "a fraction")
                .unwrap_err(),
            SettingError::Positional {
                field: "share",
                path: String::new()
            }
        );
    }

    #[test]
    fn a_check_refuses_only_a_given_value() {
        let entry = given(serde_json::json!({"numerator": 3, "denominator": 2}));
        let read = Given(&entry)
            .read::<Fraction>("share", "a fraction")
            .unwrap();
        assert!(
            matches!(read.check(proper), Err(SettingError::OutOfRange { value, .. }) if value == "3/2")
        );
        let absent = Given::default()
            .read::<Fraction>("share", "a fraction")
            .unwrap();
        assert_eq!(absent.check(proper), Ok(()));
        assert_eq!(absent.or_else(|| Fraction::new(1, 2)), Fraction::new(1, 2));
        assert_eq!(
            Given(&entry).only(&["other"]),
            Err(SettingError::NotTaken {
                field: "share".into()
            })
        );
    }
}
