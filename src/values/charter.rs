//! [`Charter`]: the community's values and the rules that test them, validated once at load.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::Arc;

use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeMap;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::decision::DecisionKind;
use crate::hash::Hash;
use crate::limits::{self, InputError};
use crate::values::gate::{GatePassed, GateRefusal};
use crate::values::record::DecisionRecord;
use crate::values::report::{CitedIn, Finding, UnknownRule, ValueReport, ValueVerdict, Verdict};
use crate::values::rules::registry::{self, BUILTINS};
use crate::values::rules::settings::{Given, Json, SettingError, same_entries};
use crate::values::rules::{RecordTally, Scope, ValueRule};
use crate::values::{RuleId, ValueId};

/// One of the community's core values.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CoreValue {
    /// The value's id.
    pub id: ValueId,
    /// What it means to the community, in its words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

impl CoreValue {
    /// A value with a description.
    pub fn new(id: ValueId, description: impl Into<String>) -> Self {
        Self {
            id,
            description: description.into(),
        }
    }
}

/// A charter's entry for one built-in rule: its id, optionally the value it serves (by
/// default its seed value: H rules serve `human`, I `inclusive`, T `transparent`, C
/// `challenging`), and the settings it takes, each written as a field of the entry:
/// `{"id": "H2", "max_reimburse_days": 30}`.
///
/// Settings are held as written, and checked when the charter is built from the entry: a
/// setting left out takes its default; a setting the rule does not take is refused
/// ([`CharterError::SettingNotUsed`]), and so is a value outside the setting's range or not
/// of its type ([`CharterError::OutOfRange`], naming the rule, the setting and what it
/// allows). A built charter spells out every setting ([`Charter::to_spec`]).
///
/// Each rule declares its settings once, with the rule; this table is made from those
/// declarations (a test keeps it so). The defaults are placeholders for a community to set,
/// not recommendations.
///
#[doc = include_str!("rules/settings.md")]
///
/// The evidence each built-in rule needs: the value it serves, the decisions it judges (a
/// rule out of its [`Scope`](super::Scope) reports not applicable, saying why) and the
/// fields of the [`DecisionRecord`](super::DecisionRecord) it reads; a field left out makes
/// the rule report "could not be evaluated". Made from the rules' declarations (a test keeps
/// it so):
///
#[doc = include_str!("rules/evidence.md")]
///
/// # Example
///
/// ```
/// use coproduction::values::{Charter, CharterError, RuleId, RuleSpec};
///
/// let mut spec = Charter::default().to_spec();
/// let h2 = spec.rules.iter_mut().find(|r| r.id.as_str() == "H2").expect("the built-in rule H2");
/// assert_eq!(h2.setting("max_reimburse_days"), Some(&serde_json::json!(30)));
/// h2.set("max_reimburse_days", serde_json::json!(400));
/// let refused = Charter::from_spec(spec.clone()).unwrap_err();
/// assert_eq!(
///     refused.to_string(),
///     "cannot load rule `H2`: field `max_reimburse_days` is 400, expected 1 to 365 days"
/// );
///
/// let entry = RuleSpec::new(RuleId::new("T1")?).with("publish_days", serde_json::json!(14));
/// spec.rules.retain(|r| r.id.as_str() != "H2" && r.id.as_str() != "T1");
/// spec.rules.push(entry);
/// assert_eq!(Charter::from_spec(spec)?.rule_ids().count(), 31);
/// # Ok::<(), coproduction::Error>(())
/// ```
#[derive(Debug, Clone, Eq)]
pub struct RuleSpec {
    /// The built-in rule's id.
    pub id: RuleId,
    /// The value it serves, if not its seed value.
    pub value: Option<ValueId>,
    /// The settings given, in the order given.
    settings: Vec<(String, Json)>,
}

impl RuleSpec {
    /// An entry for rule `id` with its seed value and default settings.
    pub fn new(id: RuleId) -> Self {
        Self {
            id,
            value: None,
            settings: Vec::new(),
        }
    }

    /// The entry with setting `name` given as `value`, the JSON a charter would hold (see
    /// [`set`](RuleSpec::set)).
    #[must_use]
    pub fn with(mut self, name: impl Into<String>, value: serde_json::Value) -> Self {
        self.set(name, value);
        self
    }

    /// Gives setting `name` as `value`, the JSON a charter would hold, in place of any value
    /// given for it before. Whether the rule takes it, and the value, are checked when a
    /// charter is built from the entry. `id` and `value` are the entry's own fields, set
    /// directly; no rule takes a setting of either name.
    pub fn set(&mut self, name: impl Into<String>, value: serde_json::Value) {
        let name = name.into();
        match self.settings.iter_mut().find(|(n, _)| *n == name) {
            Some((_, old)) => *old = value,
            None => self.settings.push((name, value)),
        }
    }

    /// The JSON given for setting `name`, if any. In a built charter's entries
    /// ([`Charter::to_spec`]) every setting the rule takes is given.
    pub fn setting(&self, name: &str) -> Option<&serde_json::Value> {
        self.settings
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, json)| json)
    }

    /// The names of the settings given, in the order given.
    pub fn settings(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        self.settings.iter().map(|(name, _)| name.as_str())
    }
}

impl PartialEq for RuleSpec {
    /// Entries are equal when they name the same rule, value and settings, whatever the
    /// order the settings are given in.
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
            && self.value == other.value
            && same_entries(&self.settings, &other.settings)
    }
}

impl Serialize for RuleSpec {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let len = 1 + usize::from(self.value.is_some()) + self.settings.len();
        let mut map = serializer.serialize_map(Some(len))?;
        map.serialize_entry("id", &self.id)?;
        if let Some(value) = &self.value {
            map.serialize_entry("value", value)?;
        }
        for (name, json) in &self.settings {
            map.serialize_entry(name, json)?;
        }
        map.end()
    }
}

impl<'de> Deserialize<'de> for RuleSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(EntryVisitor)
    }
}

/// Reads a [`RuleSpec`]: `id`, `value`, and every other field a setting.
struct EntryVisitor;

impl<'de> Visitor<'de> for EntryVisitor {
    type Value = RuleSpec;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a rule entry: an object with the rule's `id` and its settings")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RuleSpec, A::Error> {
        let mut id = None;
        let mut value = None;
        let mut seen = BTreeSet::new();
        let mut settings = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "id" if id.is_some() => return Err(de::Error::duplicate_field("id")),
                "id" => id = Some(map.next_value::<RuleId>()?),
                "value" if value.is_some() => return Err(de::Error::duplicate_field("value")),
                "value" => value = Some(map.next_value::<Option<ValueId>>()?),
                _ if !seen.insert(key.clone()) => {
                    return Err(de::Error::custom(format_args!(
                        "duplicate field `{}`",
                        limits::quote(&key)
                    )));
                }
                _ => settings.push((key, map.next_value::<Json>()?)),
            }
        }
        Ok(RuleSpec {
            id: id.ok_or_else(|| de::Error::missing_field("id"))?,
            value: value.flatten(),
            settings,
        })
    }
}

/// The wire shape of a [`Charter`]: `{"values": [...], "rules": [...]}`, with
/// `"custom_kinds": [...]` when a setting names a kind of decision the community defines.
///
/// Its rule entries ([`RuleSpec`]) hold their settings as written; a charter built from it
/// reads each as its rule declares it, and refuses what the rule does not take or allow.
///
/// A setting that names decision kinds (I1's `blocking_kinds`) may name the built-in kinds
/// (`funding`, `partnership`, `strategy`, `recruitment`, `working_model`, `operational`,
/// `governance`) and the kinds listed in `custom_kinds`, and nothing else: a misspelt
/// built-in kind (`fundng`) would otherwise read as a custom kind no decision has, and
/// silently change the rule. Declaring a custom kind is the deliberate act.
///
/// # Example
///
/// ```
/// use coproduction::values::{Charter, CharterError};
///
/// let charter = Charter::from_json(r#"{
///     "values": [{"id": "inclusive"}],
///     "custom_kinds": ["website_redesign"],
///     "rules": [{"id": "I1", "blocking_kinds": ["funding", "website_redesign"]}]
/// }"#)?;
/// assert_eq!(charter.custom_kinds().count(), 1);
///
/// let misspelt = Charter::from_json(r#"{
///     "values": [{"id": "inclusive"}],
///     "rules": [{"id": "I1", "blocking_kinds": ["fundng"]}]
/// }"#);
/// let Err(CharterError::UnknownKind { rule, field, kind, suggestion }) = misspelt else {
///     panic!("a misspelt kind is refused");
/// };
/// assert_eq!((rule.as_str(), field, kind.label()), ("I1", "blocking_kinds", "fundng"));
/// assert_eq!(suggestion.map(|k| k.to_string()).as_deref(), Some("funding"));
/// # Ok::<(), coproduction::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CharterSpec {
    /// The community's core values.
    pub values: Vec<CoreValue>,
    /// The kinds of decision the community defines beyond the built-in ones, which settings
    /// may name. Left out of the JSON when empty, so a charter without any hashes as before.
    #[serde(default, skip_serializing_if = "BTreeSet::is_empty")]
    pub custom_kinds: BTreeSet<DecisionKind>,
    /// The built-in rules it uses, with their settings.
    pub rules: Vec<RuleSpec>,
}

impl CharterSpec {
    /// The seed community's four values and all 32 built-in rules with default settings.
    pub fn seed() -> Self {
        Self {
            values: vec![
                CoreValue::new(
                    ValueId::human(),
                    "People come first: paid, supported and credited for what they give.",
                ),
                CoreValue::new(
                    ValueId::inclusive(),
                    "Everyone affected can take part, and lived experience is in the room.",
                ),
                CoreValue::new(
                    ValueId::transparent(),
                    "Decisions, their reasons and who took them are open to see.",
                ),
                CoreValue::new(
                    ValueId::challenging(),
                    "Dissent is asked for, tested and kept; red lines hold.",
                ),
            ],
            custom_kinds: BTreeSet::new(),
            rules: BUILTINS
                .iter()
                .map(|b| RuleSpec::new(RuleId::builtin(b.id)))
                .collect(),
        }
    }
}

/// Why a charter was refused. Each variant names the rule and field involved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CharterError {
    /// The JSON could not be read.
    #[error("cannot read the charter JSON: {message}")]
    Json {
        /// What the reader reported, with line and column.
        message: String,
    },
    /// The charter declares no value.
    #[error("cannot load the charter: it declares no values")]
    NoValues,
    /// A value is declared twice.
    #[error("cannot load the charter: value `{value}` is declared twice")]
    DuplicateValue {
        /// The value.
        value: ValueId,
    },
    /// An entry names no built-in rule.
    #[error(
        "cannot load rule `{rule}`: there is no built-in rule with this id (custom rules are added in code)"
    )]
    UnknownRule {
        /// The id.
        rule: RuleId,
    },
    /// A rule id appears twice.
    #[error("cannot add rule `{rule}`: the charter already has a rule with this id")]
    DuplicateRule {
        /// The id.
        rule: RuleId,
    },
    /// A custom rule takes an id reserved for a built-in rule.
    #[error("cannot add custom rule `{rule}`: the id is reserved for a built-in rule")]
    ReservedRule {
        /// The id.
        rule: RuleId,
    },
    /// A rule serves a value the charter does not declare.
    #[error(
        "cannot load rule `{rule}`: field `{field}` names value `{value}`, which the charter does not declare"
    )]
    UndeclaredValue {
        /// The rule.
        rule: RuleId,
        /// The field naming the value.
        field: &'static str,
        /// The undeclared value.
        value: ValueId,
    },
    /// A setting is out of its range, or its value is not of the setting's type.
    #[error("cannot load rule `{rule}`: field `{field}` is {value}, expected {expected}")]
    OutOfRange {
        /// The rule.
        rule: RuleId,
        /// The setting.
        field: &'static str,
        /// The refused value (or the refused part of it: a blank name in a list), as text;
        /// JSON not of the setting's type is shown as written, shortened.
        value: String,
        /// The accepted range.
        expected: &'static str,
    },
    /// A setting is given to a rule that does not take it.
    #[error(
        "cannot load rule `{rule}`: it takes no setting `{}`; {}",
        limits::quote(.field),
        Takes(.rule)
    )]
    SettingNotUsed {
        /// The rule.
        rule: RuleId,
        /// The setting, as given.
        field: String,
    },
    /// A setting names a decision kind that is neither built in nor declared in the
    /// charter's `custom_kinds`: most often a misspelt built-in kind.
    #[error(
        "cannot load rule `{rule}`: field `{field}` names the decision kind `{kind}`, which is neither built in nor declared in the charter's `custom_kinds`{}",
        DidYouMean(.suggestion.as_ref())
    )]
    UnknownKind {
        /// The rule.
        rule: RuleId,
        /// The setting.
        field: &'static str,
        /// The kind it names.
        kind: DecisionKind,
        /// The built-in kind it is closest to (at most two edits away), if any.
        suggestion: Option<DecisionKind>,
    },
    /// `custom_kinds` lists a built-in kind.
    #[error(
        "cannot load the charter: `custom_kinds` lists `{kind}`, which is a built-in kind (list only the community's own)"
    )]
    BuiltInKindDeclared {
        /// The built-in kind.
        kind: DecisionKind,
    },
    /// The charter's JSON or text breaks a limit on input (see [`limits`](crate::limits)):
    /// an object written as a positional array, a description too long.
    #[error("cannot load the charter: {0}")]
    Input(#[from] InputError),
}

/// "it takes `a` and `b`", from the rule's declaration.
struct Takes<'a>(&'a RuleId);

impl fmt::Display for Takes<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let settings = registry::find(self.0.as_str()).map_or(&[][..], |b| b.settings);
        if settings.is_empty() {
            return f.write_str("it takes no settings");
        }
        f.write_str("it takes ")?;
        for (n, setting) in settings.iter().enumerate() {
            match n {
                0 => {}
                n if n + 1 == settings.len() => f.write_str(" and ")?,
                _ => f.write_str(", ")?,
            }
            write!(f, "`{}`", setting.name)?;
        }
        Ok(())
    }
}

impl CharterError {
    /// The error for entry `index` of a charter's rules, for rule `rule`, from what the
    /// registry found wrong with its settings.
    pub(crate) fn setting(rule: &RuleId, index: usize, error: SettingError) -> Self {
        let rule = rule.clone();
        match error {
            SettingError::NotTaken { field } => CharterError::SettingNotUsed { rule, field },
            SettingError::OutOfRange {
                field,
                value,
                expected,
            } => CharterError::OutOfRange {
                rule,
                field,
                value,
                expected,
            },
            SettingError::Positional { field, path } => {
                let inside = match path.chars().next() {
                    None => String::new(),
                    Some('[') => path,
                    Some(_) => format!(".{path}"),
                };
                CharterError::Input(InputError::Positional {
                    path: format!("rules[{index}].{field}{inside}"),
                })
            }
            SettingError::Unwritable { field, message } => CharterError::Json {
                message: format!("rule `{rule}`: setting `{field}` cannot be written: {message}"),
            },
        }
    }
}

/// "; did you mean `kind`?", or nothing.
struct DidYouMean<'a>(Option<&'a DecisionKind>);

impl fmt::Display for DidYouMean<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(kind) => write!(f, "; did you mean `{kind}`?"),
            None => Ok(()),
        }
    }
}

/// One rule in a charter, with what the check needs at hand.
#[derive(Debug, Clone)]
struct Slot {
    id: RuleId,
    value_index: usize,
    /// The value the rule serves, its scope and whether it takes overrides, read once when
    /// the rule is added (they describe the rule, not a record), so a check asks the rule
    /// only for what depends on the record.
    value: ValueId,
    scope: Scope,
    overridable: bool,
    rule: Arc<dyn ValueRule>,
    /// The entry with every setting spelled out; `None` for a custom rule.
    spec: Option<RuleSpec>,
}

/// The community's values and the rules that test them.
///
/// Built from JSON (or a [`CharterSpec`]) with every entry checked once, so
/// [`check`](Charter::check) never fails. Rules are held sorted by id, so the order they
/// were listed in does not change a report. `Send + Sync`: share one charter across threads.
///
/// Serialised as its [`CharterSpec`], with every setting spelled out; custom rules are code
/// and are not serialised (add them again with [`with_rule`](Charter::with_rule)).
///
/// # Example
///
/// ```
/// use coproduction::values::{Charter, CharterError};
///
/// let charter = Charter::from_json(r#"{
///     "values": [{"id": "inclusive"}],
///     "rules": [{"id": "I1", "lived_experience_min_share": {"numerator": 1, "denominator": 3}}]
/// }"#)?;
/// assert_eq!(charter.rule_ids().count(), 1);
///
/// let refused = Charter::from_json(r#"{
///     "values": [{"id": "inclusive"}],
///     "rules": [{"id": "I1", "lived_experience_min_share": {"numerator": 3, "denominator": 2}}]
/// }"#);
/// assert!(matches!(refused, Err(CharterError::OutOfRange { field: "lived_experience_min_share", .. })));
/// # Ok::<(), coproduction::Error>(())
/// ```
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(try_from = "CharterSpec", into = "CharterSpec")]
pub struct Charter {
    values: Vec<CoreValue>,
    custom_kinds: BTreeSet<DecisionKind>,
    slots: Vec<Slot>,
}

/// Two charters are equal when they have the same [hash](Charter::hash): the same values,
/// rules and settings, and the same custom rules by id.
impl PartialEq for Charter {
    fn eq(&self, other: &Self) -> bool {
        self.hash() == other.hash()
    }
}

impl Eq for Charter {}

impl Default for Charter {
    /// The seed community's four values and all 32 built-in rules with their placeholder
    /// settings.
    fn default() -> Self {
        // The seed spec is valid (a unit test checks it), so the fallback is never taken.
        Self::from_spec(CharterSpec::seed()).unwrap_or_else(|_| Self {
            values: Vec::new(),
            custom_kinds: BTreeSet::new(),
            slots: Vec::new(),
        })
    }
}

impl Charter {
    /// Builds a charter from its wire shape, checking every entry.
    ///
    /// # Errors
    ///
    /// [`CharterError`] for the first problem found: no values, a duplicate value, an
    /// unknown or duplicate rule id, a rule tied to an undeclared value, a setting out of
    /// range, not of its type or not taken by its rule, a setting's object written as an
    /// array ([`CharterError::Input`]), a setting naming a decision kind neither built in
    /// nor declared in `custom_kinds` ([`CharterError::UnknownKind`]), a built-in kind in
    /// `custom_kinds`, a value's description over its limit
    /// ([`NOTE_CHARS`](crate::limits::NOTE_CHARS)).
    pub fn from_spec(spec: CharterSpec) -> Result<Self, CharterError> {
        if spec.values.is_empty() {
            return Err(CharterError::NoValues);
        }
        limits::check_texts(&spec)?;
        if let Some(kind) = spec
            .custom_kinds
            .iter()
            .find(|k| !matches!(k, DecisionKind::Custom(_)))
        {
            return Err(CharterError::BuiltInKindDeclared { kind: kind.clone() });
        }

        let mut seen = BTreeSet::new();
        for v in &spec.values {
            if !seen.insert(&v.id) {
                return Err(CharterError::DuplicateValue {
                    value: v.id.clone(),
                });
            }
        }
        let mut charter = Self {
            values: spec.values.clone(),
            custom_kinds: spec.custom_kinds.clone(),
            slots: Vec::with_capacity(spec.rules.len()),
        };
        for (index, entry) in spec.rules.iter().enumerate() {
            let rule = &entry.id;
            let Some(builtin) = registry::find(rule.as_str()) else {
                return Err(CharterError::UnknownRule { rule: rule.clone() });
            };
            let value = entry.value.clone().unwrap_or_else(builtin.seed_value);
            if !charter.values.iter().any(|v| v.id == value) {
                return Err(CharterError::UndeclaredValue {
                    rule: rule.clone(),
                    field: "value",
                    value,
                });
            }
            let built = (builtin.build)(value.clone(), Given(&entry.settings))
                .map_err(|e| CharterError::setting(rule, index, e))?;
            let unknown = built.kinds.iter().find(|(_, kind)| {
                matches!(kind, DecisionKind::Custom(_)) && !spec.custom_kinds.contains(kind)
            });
            if let Some((field, kind)) = unknown {
                return Err(CharterError::UnknownKind {
                    rule: rule.clone(),
                    field,
                    kind: kind.clone(),
                    suggestion: kind.nearest_built_in(),
                });
            }
            let spelled_out = RuleSpec {
                id: rule.clone(),
                value: Some(value),
                settings: built
                    .settings
                    .into_iter()
                    .map(|(name, json)| (name.to_owned(), json))
                    .collect(),
            };
            charter.insert(built.rule, Some(spelled_out))?;
        }
        Ok(charter)
    }

    /// Reads a charter from JSON and checks it.
    ///
    /// # Errors
    ///
    /// [`CharterError::Json`] for JSON that does not have the charter's shape (including
    /// unknown fields; what the message quotes of the input is shortened),
    /// [`CharterError::Input`] for an object written as a positional array (read by
    /// [`limits::from_json`]); otherwise as [`from_spec`](Charter::from_spec).
    pub fn from_json(json: &str) -> Result<Self, CharterError> {
        let spec: CharterSpec = limits::from_json(json).map_err(|e| match e {
            InputError::Json { message } => CharterError::Json { message },
            other => CharterError::Input(other),
        })?;
        Self::from_spec(spec)
    }

    /// The wire shape, every built-in setting spelled out; custom rules are left out.
    pub fn to_spec(&self) -> CharterSpec {
        CharterSpec {
            values: self.values.clone(),
            custom_kinds: self.custom_kinds.clone(),
            rules: self.slots.iter().filter_map(|s| s.spec.clone()).collect(),
        }
    }

    /// The kinds of decision the community defines that the charter's settings may name
    /// (its `custom_kinds`), sorted.
    pub fn custom_kinds(&self) -> impl ExactSizeIterator<Item = &DecisionKind> + '_ {
        self.custom_kinds.iter()
    }

    /// The charter's identity: the BLAKE3 hash of its wire shape (every built-in setting
    /// spelled out) followed by the ids of its custom rules, so two charters that judge alike
    /// hash alike, and a changed setting, value or rule changes the hash.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::values::Charter;
    ///
    /// let seed = Charter::default();
    /// assert_eq!(seed.hash(), Charter::default().hash());
    /// let stricter = Charter::from_json(r#"{"values":[{"id":"transparent"}],"rules":[{"id":"T1","publish_days":14}]}"#)?;
    /// assert_ne!(seed.hash(), stricter.hash());
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn hash(&self) -> Hash {
        let mut hasher = blake3::Hasher::new();
        // The spec is plain data; writing it to a hasher cannot fail.
        let _ = serde_json::to_writer(&mut hasher, &self.to_spec());
        for slot in self.slots.iter().filter(|s| s.spec.is_none()) {
            hasher.update(b"\ncustom:");
            hasher.update(slot.id.as_str().as_bytes());
        }
        Hash::of_hasher(&hasher)
    }

    /// Adds a custom rule.
    ///
    /// # Errors
    ///
    /// [`CharterError::ReservedRule`] for a built-in id, [`CharterError::DuplicateRule`]
    /// for an id already used, [`CharterError::UndeclaredValue`] for a value the charter
    /// does not declare. The charter is consumed either way; clone it first to keep it.
    pub fn with_rule(mut self, rule: impl ValueRule + 'static) -> Result<Self, CharterError> {
        let id = rule.id();
        if registry::find(id.as_str()).is_some() {
            return Err(CharterError::ReservedRule { rule: id });
        }
        self.insert(Arc::new(rule), None)?;
        Ok(self)
    }

    fn insert(
        &mut self,
        rule: Arc<dyn ValueRule>,
        spec: Option<RuleSpec>,
    ) -> Result<(), CharterError> {
        let id = rule.id();
        let Some(value_index) = self.values.iter().position(|v| &v.id == rule.value()) else {
            return Err(CharterError::UndeclaredValue {
                rule: id,
                field: "value",
                value: rule.value().clone(),
            });
        };
        match self.slots.binary_search_by(|s| s.id.cmp(&id)) {
            Ok(_) => Err(CharterError::DuplicateRule { rule: id }),
            Err(at) => {
                self.slots.insert(
                    at,
                    Slot {
                        id,
                        value_index,
                        value: rule.value().clone(),
                        scope: rule.scope(),
                        overridable: rule.overridable(),
                        rule,
                        spec,
                    },
                );
                Ok(())
            }
        }
    }

    /// The declared values, in the order declared.
    pub fn values(&self) -> &[CoreValue] {
        &self.values
    }

    /// The rule ids, sorted.
    pub fn rule_ids(&self) -> impl ExactSizeIterator<Item = &RuleId> + '_ {
        self.slots.iter().map(|s| &s.id)
    }

    /// The rules, sorted by id.
    pub fn rules(&self) -> impl ExactSizeIterator<Item = &dyn ValueRule> + '_ {
        self.slots.iter().map(|s| s.rule.as_ref())
    }

    /// Tests a decision against every rule. Pure: no I/O, no clock, never fails.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::decision::DecisionKind;
    /// use coproduction::values::{Charter, DecisionRecord, Verdict};
    ///
    /// let report = Charter::default().check(&DecisionRecord::new(DecisionKind::Strategy));
    /// // Nothing recorded: nothing can be upheld.
    /// assert!(report.verdicts().iter().all(|v| v.verdict != Verdict::Upheld));
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn check(&self, record: &DecisionRecord) -> ValueReport {
        // The figures the participants keep: counted as they were added, or once, here.
        let tally = RecordTally::lent(record);
        // Why each scope leaves the record out, if it does: the same for every rule.
        let excluded = |scope: Scope| match scope {
            Scope::Every => None,
            _ => scope.excludes(record),
        };
        let excludes = [Scope::TakingPart, Scope::Reached, Scope::Accepted].map(excluded);
        // Each finding is written where the report keeps it (collected, not pushed: a
        // finding is some hundreds of bytes, and a push copies it there from the stack).
        let findings: Vec<Finding> = self
            .slots
            .iter()
            .map(|slot| {
                let rule = slot.rule.as_ref();
                let why = match slot.scope {
                    Scope::TakingPart => excludes[0],
                    Scope::Reached => excludes[1],
                    Scope::Accepted => excludes[2],
                    _ => excluded(slot.scope),
                };
                let outcome = match why {
                    Some(why) => crate::values::RuleOutcome::not_applicable(why),
                    None => rule.check(record, tally),
                };
                Finding {
                    rule: slot.id.clone(),
                    value: slot.value.clone(),
                    severity: rule.severity(record),
                    overridable: slot.overridable,
                    status: outcome.status,
                    message: outcome.message,
                    evidence: outcome.evidence,
                    overridden: last_for(&record.overrides, &slot.id, |o| &o.rule),
                    acknowledged: last_for(&record.acknowledgements, &slot.id, |a| &a.rule),
                }
            })
            .collect();
        let mut verdicts: Vec<ValueVerdict> = self
            .values
            .iter()
            .map(|v| ValueVerdict {
                value: v.id.clone(),
                verdict: Verdict::Upheld,
            })
            .collect();
        for (slot, finding) in self.slots.iter().zip(&findings) {
            if let Some(v) = verdicts.get_mut(slot.value_index) {
                v.verdict = v.verdict.max(finding.pressure());
            }
        }
        ValueReport::new(
            record.subject,
            verdicts,
            findings,
            self.unknown_rules(record),
        )
    }

    /// The overrides and acknowledgements in `record` of rules this charter does not have.
    fn unknown_rules(&self, record: &DecisionRecord) -> Vec<UnknownRule> {
        let known = |rule: &RuleId| self.slots.binary_search_by(|s| s.id.cmp(rule)).is_ok();
        let overrides = record.overrides.iter().map(|o| &o.rule);
        let acknowledgements = record.acknowledgements.iter().map(|a| &a.rule);
        let cited = overrides
            .enumerate()
            .map(|(index, rule)| (CitedIn::Overrides, index, rule))
            .chain(
                acknowledgements
                    .enumerate()
                    .map(|(index, rule)| (CitedIn::Acknowledgements, index, rule)),
            );
        cited
            .filter(|(_, _, rule)| !known(rule))
            .map(|(cited_in, index, rule)| UnknownRule {
                rule: rule.clone(),
                cited_in,
                index,
            })
            .collect()
    }

    /// Checks that every override and acknowledgement in `record` names a rule of this
    /// charter: what the gate also refuses, for evidence recorded without a gate (the
    /// engine checks a request's evidence with it, so a misspelt rule id is refused when it
    /// is given, not at the decision it would later block).
    ///
    /// # Errors
    ///
    /// [`GateRefusal`] whose [`unknown_rules`](GateRefusal::unknown_rules) lists each
    /// override or acknowledgement of a rule the charter does not have.
    ///
    /// # Example
    ///
    /// ```
    /// use coproduction::community::MemberId;
    /// use coproduction::decision::DecisionKind;
    /// use coproduction::values::{Charter, CitedIn, DecisionRecord, RuleId};
    ///
    /// let charter = Charter::default();
    /// let record = DecisionRecord::new(DecisionKind::Strategy)
    ///     .with_override(RuleId::new("T99")?, MemberId::new(4), "Agreed at the meeting");
    /// let refusal = charter.check_citations(&record).unwrap_err();
    /// assert_eq!(refusal.unknown_rules()[0].rule.as_str(), "T99");
    /// assert_eq!(refusal.unknown_rules()[0].cited_in, CitedIn::Overrides);
    /// assert!(charter.gate(&record).is_err_and(|r| r.unknown_rules().len() == 1));
    /// # Ok::<(), coproduction::Error>(())
    /// ```
    pub fn check_citations(&self, record: &DecisionRecord) -> Result<(), GateRefusal> {
        let unknown = self.unknown_rules(record);
        if unknown.is_empty() {
            Ok(())
        } else {
            Err(GateRefusal::unknown(unknown))
        }
    }

    /// Checks a decision and runs the gate on the report: what a process calls before a
    /// transition to a decided state.
    ///
    /// # Errors
    ///
    /// [`GateRefusal`] listing every finding that still needs an override or an
    /// acknowledgement, or that no override can clear.
    pub fn gate(&self, record: &DecisionRecord) -> Result<GatePassed, GateRefusal> {
        self.check(record).gate()
    }
}

/// The last of `clearances` (overrides or acknowledgements) made for `rule`, boxed for a
/// finding: a later one replaces an earlier one.
fn last_for<T: Clone>(
    clearances: &[T],
    rule: &RuleId,
    rule_of: impl Fn(&T) -> &RuleId,
) -> Option<Box<T>> {
    clearances
        .iter()
        .rev()
        .find(|c| rule_of(c) == rule)
        .map(|c| Box::new(c.clone()))
}

impl TryFrom<CharterSpec> for Charter {
    type Error = CharterError;

    fn try_from(spec: CharterSpec) -> Result<Self, Self::Error> {
        Self::from_spec(spec)
    }
}

impl From<Charter> for CharterSpec {
    fn from(charter: Charter) -> Self {
        charter.to_spec()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(json: &str) -> CharterError {
        Charter::from_json(json).unwrap_err()
    }

    #[test]
    fn the_default_charter_has_four_values_and_thirty_two_rules() {
        let c = Charter::default();
        assert_eq!(c.values().len(), 4);
        assert_eq!(c.rule_ids().count(), 32);
        let ids: Vec<_> = c.rule_ids().map(RuleId::as_str).collect();
        let mut sorted = ids.clone();
        sorted.sort_unstable();
        assert_eq!(ids, sorted);
        fn shared<T: Send + Sync>(_: &T) {}
        shared(&c);
    }

    #[test]
    fn bad_entries_are_refused_naming_rule_and_field() {
        let values = r#""values":[{"id":"human"},{"id":"inclusive"}]"#;
        assert_eq!(
            refused(&format!(r#"{{{values},"rules":[{{"id":"Z9"}}]}}"#)),
            CharterError::UnknownRule {
                rule: RuleId::new("Z9").unwrap()
            }
        );
        assert_eq!(
            refused(&format!(
                r#"{{{values},"rules":[{{"id":"H1"}},{{"id":"H1"}}]}}"#
            )),
            CharterError::DuplicateRule {
                rule: RuleId::new("H1").unwrap()
            }
        );
        assert_eq!(
            refused(&format!(r#"{{{values},"rules":[{{"id":"T2"}}]}}"#)),
            CharterError::UndeclaredValue {
                rule: RuleId::new("T2").unwrap(),
                field: "value",
                value: ValueId::transparent()
            }
        );
        assert_eq!(
            refused(&format!(
                r#"{{{values},"rules":[{{"id":"H2","max_reimburse_days":0}}]}}"#
            )),
            CharterError::OutOfRange {
                rule: RuleId::new("H2").unwrap(),
                field: "max_reimburse_days",
                value: "0".into(),
                expected: "1 to 365 days"
            }
        );
        assert_eq!(
            refused(&format!(
                r#"{{{values},"rules":[{{"id":"H1","publish_days":3}}]}}"#
            )),
            CharterError::SettingNotUsed {
                rule: RuleId::new("H1").unwrap(),
                field: "publish_days".into()
            }
        );
        assert!(matches!(
            refused(&format!(r#"{{{values},"rules":[],"extra":1}}"#)),
            CharterError::Json { .. }
        ));
        assert_eq!(
            refused(r#"{"values":[{"id":"human"},{"id":"human"}],"rules":[]}"#),
            CharterError::DuplicateValue {
                value: ValueId::human()
            }
        );
        assert_eq!(
            refused(r#"{"values":[],"rules":[]}"#),
            CharterError::NoValues
        );
    }

    /// A charter of the four seed values and rule `id` alone, with `setting` given as `json`.
    fn one(id: &str, setting: &str, json: &str) -> Result<Charter, CharterError> {
        let values =
            r#"[{"id":"human"},{"id":"inclusive"},{"id":"transparent"},{"id":"challenging"}]"#;
        Charter::from_json(&format!(
            r#"{{"values":{values},"rules":[{{"id":"{id}","{setting}":{json}}}]}}"#
        ))
    }

    /// The bounds of a range written `lo to hi unit`.
    fn bounds(expected: &str) -> Option<(u64, u64)> {
        let (lo, rest) = expected.split_once(" to ")?;
        let hi = rest.split(' ').next()?;
        Some((lo.parse().ok()?, hi.parse().ok()?))
    }

    #[test]
    fn every_setting_is_refused_outside_its_range_naming_rule_setting_and_range() {
        // Settings whose values are not a span of numbers, with values each refuses (JSON
        // given, and the refused value as the error shows it).
        let refused = [
            (
                "I1",
                "lived_experience_min_share",
                r#"{"numerator":3,"denominator":2}"#,
                "3/2",
            ),
            (
                "I1",
                "lived_experience_min_share",
                r#"{"numerator":0,"denominator":0}"#,
                "0/0",
            ),
            (
                "I1",
                "lived_experience_min_share",
                r#"{"numerator":1}"#,
                r#"{"numerator":1}"#,
            ),
            ("I1", "blocking_kinds", r#""funding""#, r#""funding""#),
            ("I8", "stakeholder_groups", r#"["allies", " "]"#, r#"" ""#),
            (
                "I9",
                "lived_experience_min_share",
                r#"{"numerator":3,"denominator":2}"#,
                "3/2",
            ),
            ("C3", "from_tier", "4", "4"),
            ("C1", "reminded_is_enough", "null", "null"),
            ("C8", "words_needed", "\"no\"", "\"no\""),
            ("I5", "remind_first", r#"["yes"]"#, r#"["yes"]"#),
        ];
        let mut checked = 0;
        for builtin in &BUILTINS {
            for setting in builtin.settings {
                let refuse = |json: &str, value: &str| {
                    let err = one(builtin.id, setting.name, json).unwrap_err();
                    assert_eq!(
                        err,
                        CharterError::OutOfRange {
                            rule: RuleId::builtin(builtin.id),
                            field: setting.name,
                            value: value.into(),
                            expected: setting.expected,
                        }
                    );
                    let message = err.to_string();
                    for part in [
                        format!("rule `{}`", builtin.id),
                        format!("field `{}`", setting.name),
                        format!("expected {}", setting.expected),
                    ] {
                        assert!(message.contains(&part), "{message}");
                    }
                };
                // A value not of the setting's type is outside its range too.
                if setting.expected == "true or false" {
                    refuse("1", "1");
                } else {
                    refuse("true", "true");
                }
                refuse(r#""7""#, r#""7""#);
                if let Some((lo, hi)) = bounds(setting.expected) {
                    if let Some(below) = lo.checked_sub(1) {
                        refuse(&below.to_string(), &below.to_string());
                    }
                    refuse(&(hi + 1).to_string(), &(hi + 1).to_string());
                    for edge in [lo, hi] {
                        assert!(one(builtin.id, setting.name, &edge.to_string()).is_ok());
                    }
                } else {
                    let cases: Vec<_> = refused
                        .iter()
                        .filter(|(rule, name, ..)| *rule == builtin.id && *name == setting.name)
                        .collect();
                    assert!(
                        !cases.is_empty(),
                        "no refused value for {} {}",
                        builtin.id,
                        setting.name
                    );
                    for (_, _, json, value) in cases {
                        refuse(json, value);
                    }
                }
                checked += 1;
            }
        }
        assert_eq!(checked, 17);
    }

    #[test]
    fn a_setting_the_rule_does_not_take_is_refused_naming_what_it_takes() {
        let err = one("H1", "publish_dayz", "28").unwrap_err();
        assert_eq!(
            err,
            CharterError::SettingNotUsed {
                rule: RuleId::new("H1").unwrap(),
                field: "publish_dayz".into()
            }
        );
        assert_eq!(
            err.to_string(),
            "cannot load rule `H1`: it takes no setting `publish_dayz`; it takes no settings"
        );
        assert!(
            one("T1", "publish_dayz", "28")
                .unwrap_err()
                .to_string()
                .ends_with("; it takes `publish_days`")
        );
        assert!(
            one("I1", "min_share", "1")
                .unwrap_err()
                .to_string()
                .ends_with("; it takes `lived_experience_min_share` and `blocking_kinds`")
        );
        let long = "s".repeat(10_000);
        assert!(one("H1", &long, "1").unwrap_err().to_string().len() < 300);
    }

    #[test]
    fn an_entry_reads_back_as_written() {
        let entry: RuleSpec = serde_json::from_str(
            r#"{"lived_experience_min_share":{"numerator":1,"denominator":3},"id":"I1","value":null}"#,
        )
        .unwrap();
        assert_eq!(
            entry,
            RuleSpec::new(RuleId::new("I1").unwrap()).with(
                "lived_experience_min_share",
                serde_json::json!({"numerator": 1, "denominator": 3})
            )
        );
        assert_eq!(
            serde_json::to_string(&entry).unwrap(),
            r#"{"id":"I1","lived_experience_min_share":{"numerator":1,"denominator":3}}"#
        );
        assert_eq!(
            entry.settings().collect::<Vec<_>>(),
            ["lived_experience_min_share"]
        );
        for bad in [
            r#"{"value":"human"}"#,
            r#"{"id":"H2","id":"H2"}"#,
            r#"{"id":"H2","max_reimburse_days":3,"max_reimburse_days":4}"#,
            r#"["H2"]"#,
        ] {
            assert!(serde_json::from_str::<RuleSpec>(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_rule_can_serve_a_value_of_a_later_strategy() {
        let c = Charter::from_json(
            r#"{"values":[{"id":"dignity"}],"rules":[{"id":"H1","value":"dignity"}]}"#,
        )
        .unwrap();
        assert_eq!(c.rules().next().unwrap().value().as_str(), "dignity");
    }

    fn kind(label: &str) -> DecisionKind {
        label.parse().unwrap()
    }

    fn i1_blocking(kinds: &str, custom: &str) -> Result<Charter, CharterError> {
        Charter::from_json(&format!(
            r#"{{"values":[{{"id":"inclusive"}}],{custom}"rules":[{{"id":"I1","blocking_kinds":{kinds}}}]}}"#
        ))
    }

    #[test]
    fn a_misspelt_kind_in_a_setting_is_refused_naming_rule_field_and_kind() {
        assert_eq!(
            i1_blocking(r#"["funding","fundng"]"#, "").unwrap_err(),
            CharterError::UnknownKind {
                rule: RuleId::new("I1").unwrap(),
                field: "blocking_kinds",
                kind: kind("fundng"),
                suggestion: Some(DecisionKind::Funding),
            }
        );
        // Two edits away still suggests; further away names the kind alone.
        let message = i1_blocking(r#"["govrnanse"]"#, "").unwrap_err().to_string();
        assert!(message.ends_with("did you mean `governance`?"), "{message}");
        let far = i1_blocking(r#"["website_redesign"]"#, "").unwrap_err();
        assert!(matches!(
            far,
            CharterError::UnknownKind {
                suggestion: None,
                ..
            }
        ));
        assert!(!far.to_string().contains("did you mean"));
    }

    #[test]
    fn a_declared_custom_kind_may_be_named() {
        let charter = i1_blocking(
            r#"["funding","website_redesign"]"#,
            r#""custom_kinds":["website_redesign"],"#,
        )
        .unwrap();
        assert_eq!(
            charter.custom_kinds().collect::<Vec<_>>(),
            [&kind("website_redesign")]
        );
        let spec = charter.to_spec();
        assert_eq!(Charter::from_spec(spec.clone()).unwrap().to_spec(), spec);
        // Declaring is deliberate: even a name close to a built-in one is the community's.
        assert!(i1_blocking(r#"["operations"]"#, r#""custom_kinds":["operations"],"#).is_ok());
        assert_eq!(
            i1_blocking(r#"["funding"]"#, r#""custom_kinds":["funding"],"#).unwrap_err(),
            CharterError::BuiltInKindDeclared {
                kind: DecisionKind::Funding
            }
        );
    }

    #[test]
    fn a_charter_without_custom_kinds_hashes_as_before() {
        let json = serde_json::to_string(&Charter::default().to_spec()).unwrap();
        assert!(!json.contains("custom_kinds"));
        let with =
            i1_blocking(r#"["funding"]"#, r#""custom_kinds":["website_redesign"],"#).unwrap();
        let without = i1_blocking(r#"["funding"]"#, "").unwrap();
        assert_ne!(with.hash(), without.hash());
    }

    #[test]
    fn the_default_charter_spells_out_its_settings_and_hashes_as_pinned() {
        let charter = Charter::default();
        // Settings are written in the order the rule declares them, and a fraction
        // numerator first: these are the bytes the hash is taken over.
        let text = serde_json::to_string(&charter).unwrap();
        assert!(
            text.contains(r#"{"id":"I1","value":"inclusive","lived_experience_min_share":{"numerator":1,"denominator":2},"blocking_kinds":["funding","partnership","governance"]}"#),
            "{text}"
        );
        assert_eq!(
            charter.hash().to_string(),
            "84f2023c390e5fa15bac0362ad067b6ef2db08786ae4473c84549fbb9249720c"
        );
    }

    #[test]
    fn a_positional_charter_or_setting_is_refused() {
        assert_eq!(
            refused(r#"[[{"id":"inclusive"}],[],[]]"#),
            CharterError::Input(InputError::Positional {
                path: String::new()
            })
        );
        assert_eq!(
            refused(
                r#"{"values":[{"id":"inclusive"}],"rules":[{"id":"I1","lived_experience_min_share":[1,3]}]}"#
            ),
            CharterError::Input(InputError::Positional {
                path: "rules[0].lived_experience_min_share".into()
            })
        );
    }

    #[test]
    fn json_errors_quote_the_charter_in_short() {
        let long = "v".repeat(100_000);
        let message =
            refused(&format!(r#"{{"values":[{{"id":"{long}"}}],"rules":[]}}"#)).to_string();
        assert!(message.len() < 300, "{message}");
    }

    #[test]
    fn overrides_and_acknowledgements_of_unknown_rules_are_listed() {
        use crate::community::MemberId;
        let charter = Charter::default();
        let by = MemberId::new(4);
        let record = DecisionRecord::new(DecisionKind::Strategy)
            .with_override(RuleId::new("T2").unwrap(), by, "Alternatives follow")
            .with_override(RuleId::new("T99").unwrap(), by, "A typo")
            .with_acknowledgement(RuleId::new("Z1").unwrap(), by, "Another");
        let report = charter.check(&record);
        assert_eq!(
            report.unknown_rules(),
            [
                UnknownRule {
                    rule: RuleId::new("T99").unwrap(),
                    cited_in: CitedIn::Overrides,
                    index: 1
                },
                UnknownRule {
                    rule: RuleId::new("Z1").unwrap(),
                    cited_in: CitedIn::Acknowledgements,
                    index: 0
                },
            ]
        );
        assert_eq!(
            charter
                .check_citations(&record)
                .unwrap_err()
                .unknown_rules(),
            report.unknown_rules()
        );
        let known = DecisionRecord::new(DecisionKind::Strategy).with_override(
            RuleId::new("T2").unwrap(),
            by,
            "Alternatives follow",
        );
        assert!(charter.check(&known).unknown_rules().is_empty());
        assert_eq!(charter.check_citations(&known), Ok(()));
    }
}
