//! [`Json`]: a setting's value as a charter holds it, with object keys in the order written.
//!
//! A charter's hash is taken over its bytes, so a setting read and written back must keep
//! its keys in order (a fraction stays `{"numerator": 1, "denominator": 2}`): serde_json's
//! `preserve_order` keeps them (an `indexmap`, which the build already has), and its maps
//! compare equal whatever their order, as JSON does.

pub(crate) use serde_json::Value as Json;

/// Whether two lists of named entries, each name given once, hold the same entries in any
/// order.
pub(crate) fn same_entries(a: &[(String, Json)], b: &[(String, Json)]) -> bool {
    fn sorted(entries: &[(String, Json)]) -> Vec<&(String, Json)> {
        let mut sorted: Vec<_> = entries.iter().collect();
        sorted.sort_unstable_by(|x, y| x.0.cmp(&y.0));
        sorted
    }
    a.len() == b.len() && sorted(a) == sorted(b)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Serialize;

    #[test]
    fn objects_keep_the_order_written_and_compare_as_json() {
        let text = r#"{"numerator":1,"denominator":2,"list":[true,null,"x",-3,1.5]}"#;
        let json: Json = serde_json::from_str(text).unwrap();
        assert_eq!(json.to_string(), text);
        let reordered: Json = serde_json::from_str(
            r#"{"denominator":2,"list":[true,null,"x",-3,1.5],"numerator":1}"#,
        )
        .unwrap();
        assert_eq!(reordered, json);
        let other: Json = serde_json::from_str(
            r#"{"denominator":2,"list":[null,true,"x",-3,1.5],"numerator":1}"#,
        )
        .unwrap();
        assert_ne!(other, json);
    }

    #[test]
    fn a_value_is_written_in_its_own_order() {
        #[derive(Serialize)]
        struct Pair {
            z: u8,
            a: u8,
        }
        let json = serde_json::to_value(Pair { z: 1, a: 2 }).unwrap();
        assert_eq!(json.to_string(), r#"{"z":1,"a":2}"#);
    }
}
