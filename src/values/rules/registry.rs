//! The registry of built-in rules: each rule's declaration, as `builtin!` states it, in the
//! order of the process notes' table. What a charter entry may say about a rule (its
//! settings, their types, defaults and ranges) is read from here, and so is the settings
//! table in the documentation.

use crate::values::rules::challenging::*;
use crate::values::rules::human::*;
use crate::values::rules::inclusive::*;
use crate::values::rules::settings::Builtin;
use crate::values::rules::transparent::*;

/// Every built-in rule.
pub(crate) const BUILTINS: [Builtin; 32] = [
    PaymentOffered::BUILTIN,
    ExpensesReimbursed::BUILTIN,
    BenefitsAdviceSignposted::BUILTIN,
    PapersOnTime::BUILTIN,
    AsyncRoundOpenLongEnough::BUILTIN,
    ContributorsCredited::BUILTIN,
    LivedExperienceShare::BUILTIN,
    LivedExperienceQuorum::BUILTIN,
    WaysToTakePart::BUILTIN,
    AccessRequestsMet::BUILTIN,
    NoSilentConsent::BUILTIN,
    FairRecruitment::BUILTIN,
    GenuineCoproduction::BUILTIN,
    StakeholdersTookPart::BUILTIN,
    AdvisersLivedExperience::BUILTIN,
    PublishedOnTime::BUILTIN,
    RationaleRecorded::BUILTIN,
    ObjectionsDisposed::BUILTIN,
    ConflictsDeclared::BUILTIN,
    DueDiligenceDone::BUILTIN,
    InPublicRegister::BUILTIN,
    RouteFollowed::BUILTIN,
    AdviceSought::BUILTIN,
    ReviewDateSet::BUILTIN,
    EveryoneResponded::BUILTIN,
    ObjectionsTested::BUILTIN,
    CriticalFriendsHeard::BUILTIN,
    RedLinesRespected::BUILTIN,
    RestrictiveConditionsEscalated::BUILTIN,
    NoValidObjectionOpen::BUILTIN,
    ConcernsShortenReview::BUILTIN,
    ReassessedOnEvidence::BUILTIN,
];

/// The built-in rule with id `id`.
pub(crate) fn find(id: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.id == id)
}

/// The header of the settings table.
#[cfg(test)]
const TABLE_HEADER: &str =
    "| rule | setting | default | allowed | what it sets |\n|---|---|---|---|---|\n";

/// The settings table, in Markdown, made from the declarations: a row per setting of each
/// rule that takes any. `settings.md`, shown on [`RuleSpec`](crate::values::RuleSpec), is
/// kept equal to it by a test.
#[cfg(test)]
pub(crate) fn settings_table() -> String {
    let mut table = String::from(TABLE_HEADER);
    for builtin in &BUILTINS {
        table.push_str(&builtin.table_rows());
    }
    table
}

/// The table of the evidence each built-in rule needs, in Markdown, made from the
/// declarations: each rule's value, the decisions it judges ([`Scope`](crate::values::Scope))
/// and the record's fields it reads. `evidence.md`, shown on
/// [`Charter`](crate::values::Charter), is kept equal to it by a test.
#[cfg(test)]
pub(crate) fn evidence_table() -> String {
    let mut table = String::from("| rule | value | judges | reads |\n|---|---|---|---|\n");
    for builtin in &BUILTINS {
        if let Ok(built) = builtin.by_default() {
            let rule = built.rule;
            let reads: Vec<String> = rule.reads().iter().map(|f| format!("`{f}`")).collect();
            table.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                builtin.id,
                rule.value().as_str(),
                rule.scope().label(),
                reads.join(", ")
            ));
        }
    }
    table
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use super::*;
    use crate::values::RuleId;
    use crate::values::rules::settings::{Given, Json, SettingError};

    #[test]
    fn every_rule_is_listed_once_in_the_order_of_the_table() {
        let ids: Vec<_> = BUILTINS.iter().map(|b| b.id).collect();
        let mut expected = Vec::new();
        for (letter, count) in [("H", 6), ("I", 9), ("T", 9), ("C", 8)] {
            expected.extend((1..=count).map(|n| format!("{letter}{n}")));
        }
        assert_eq!(ids, expected);
        for builtin in &BUILTINS {
            let built = builtin.by_default().unwrap();
            assert_eq!(built.rule.id(), RuleId::builtin(builtin.id));
            assert_eq!(*built.rule.value(), (builtin.seed_value)());
        }
    }

    /// Asserts the table written in `file` is `made`, printing the table to write if not.
    fn assert_table_written(file: &str, written: &str, made: &str) {
        assert!(
            written == made,
            "src/values/rules/{file} is out of date; it should read:\n\n{made}"
        );
    }

    #[test]
    fn the_evidence_table_in_the_docs_is_the_one_the_declarations_make() {
        assert_table_written(
            "evidence.md",
            include_str!("evidence.md"),
            &evidence_table(),
        );
    }

    #[test]
    fn the_settings_table_in_the_docs_is_the_one_the_declarations_make() {
        assert_table_written(
            "settings.md",
            include_str!("settings.md"),
            &settings_table(),
        );
    }

    #[test]
    fn the_table_lists_every_setting_each_rule_reads_and_no_other() {
        let table = settings_table();
        let rows: BTreeSet<(&str, &str)> = table
            .lines()
            .skip(2)
            .filter_map(|row| {
                let mut cells = row.split(" | ");
                let rule = cells.next()?.trim_start_matches("| ");
                let setting = cells.next()?.trim_matches('`');
                Some((rule, setting))
            })
            .collect();
        let mut read = BTreeSet::new();
        let every_name: BTreeSet<&str> = BUILTINS
            .iter()
            .flat_map(|b| b.settings.iter().map(|s| s.name))
            .collect();
        for builtin in &BUILTINS {
            // What the rule spells out is what it declares, in order.
            let built = builtin.by_default().unwrap();
            let spelled: Vec<_> = built.settings.iter().map(|(name, _)| *name).collect();
            let declared: Vec<_> = builtin.settings.iter().map(|s| s.name).collect();
            assert_eq!(spelled, declared, "{}", builtin.id);
            // It reads each, with its default given back as is, and takes no other.
            let given: Vec<(String, Json)> = built
                .settings
                .iter()
                .map(|(name, json)| ((*name).to_owned(), json.clone()))
                .collect();
            let again = (builtin.build)((builtin.seed_value)(), Given(&given)).unwrap();
            assert_eq!(again.settings, built.settings, "{}", builtin.id);
            for name in &every_name {
                let one = [((*name).to_owned(), Json::Null)];
                match (builtin.build)((builtin.seed_value)(), Given(&one)) {
                    Err(SettingError::NotTaken { field }) => {
                        assert!(!declared.contains(name), "{} {name}", builtin.id);
                        assert_eq!(field, *name);
                    }
                    Err(SettingError::OutOfRange { field, .. }) => {
                        assert_eq!(field, *name, "{}", builtin.id);
                        read.insert((builtin.id, field));
                    }
                    other => panic!("{} {name}: {other:?}", builtin.id),
                }
            }
        }
        assert_eq!(rows, read);
        assert!(!every_name.contains("id") && !every_name.contains("value"));
    }
}
