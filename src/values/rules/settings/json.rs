//! [`Json`]: a setting's value as a charter holds it, with object keys in the order written.
//!
//! `serde_json::Value` sorts object keys, so a fraction read into one and written back comes
//! out `{"denominator": 2, "numerator": 1}`: the same JSON, but other bytes, and a charter's
//! hash is taken over the bytes. A setting is held as given, and written back from its
//! declared type, in that type's own order.

use std::collections::BTreeSet;
use std::fmt;

use serde::de::{self, MapAccess, SeqAccess, Visitor};
use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Number, Value};

/// A JSON value whose objects keep their keys in the order written. Two values are equal
/// as JSON is: objects whatever the order of their keys.
#[derive(Debug, Clone, Eq)]
pub(crate) enum Json {
    Null,
    Bool(bool),
    Number(Number),
    String(String),
    Array(Vec<Json>),
    Object(Vec<(String, Json)>),
}

impl Json {
    /// `value` as JSON, written the way its `Serialize` implementation writes it.
    pub(crate) fn of<T: Serialize + ?Sized>(value: &T) -> Result<Self, serde_json::Error> {
        serde_json::from_str(&serde_json::to_string(value)?)
    }

    /// The compact JSON text.
    pub(crate) fn text(&self) -> String {
        // Keys are strings and numbers finite: writing cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl PartialEq for Json {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Json::Null, Json::Null) => true,
            (Json::Bool(a), Json::Bool(b)) => a == b,
            (Json::Number(a), Json::Number(b)) => a == b,
            (Json::String(a), Json::String(b)) => a == b,
            (Json::Array(a), Json::Array(b)) => a == b,
            (Json::Object(a), Json::Object(b)) => same_entries(a, b),
            _ => false,
        }
    }
}

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

impl From<Value> for Json {
    fn from(value: Value) -> Self {
        match value {
            Value::Null => Json::Null,
            Value::Bool(b) => Json::Bool(b),
            Value::Number(n) => Json::Number(n),
            Value::String(s) => Json::String(s),
            Value::Array(a) => Json::Array(a.into_iter().map(Json::from).collect()),
            Value::Object(o) => Json::Object(o.into_iter().map(|(k, v)| (k, v.into())).collect()),
        }
    }
}

impl From<&Json> for Value {
    fn from(json: &Json) -> Self {
        match json {
            Json::Null => Value::Null,
            Json::Bool(b) => Value::Bool(*b),
            Json::Number(n) => Value::Number(n.clone()),
            Json::String(s) => Value::String(s.clone()),
            Json::Array(a) => Value::Array(a.iter().map(Value::from).collect()),
            Json::Object(o) => {
                Value::Object(o.iter().map(|(k, v)| (k.clone(), v.into())).collect())
            }
        }
    }
}

impl Serialize for Json {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Json::Null => serializer.serialize_unit(),
            Json::Bool(b) => serializer.serialize_bool(*b),
            Json::Number(n) => n.serialize(serializer),
            Json::String(s) => serializer.serialize_str(s),
            Json::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            Json::Object(entries) => {
                let mut map = serializer.serialize_map(Some(entries.len()))?;
                for (key, value) in entries {
                    map.serialize_entry(key, value)?;
                }
                map.end()
            }
        }
    }
}

impl<'de> Deserialize<'de> for Json {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(JsonVisitor)
    }
}

struct JsonVisitor;

impl<'de> Visitor<'de> for JsonVisitor {
    type Value = Json;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Json, E> {
        Ok(Json::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Json, D::Error> {
        Json::deserialize(deserializer)
    }

    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Json, E> {
        Ok(Json::Bool(b))
    }

    fn visit_i64<E: de::Error>(self, n: i64) -> Result<Json, E> {
        Ok(Json::Number(n.into()))
    }

    fn visit_u64<E: de::Error>(self, n: u64) -> Result<Json, E> {
        Ok(Json::Number(n.into()))
    }

    fn visit_f64<E: de::Error>(self, n: f64) -> Result<Json, E> {
        Number::from_f64(n)
            .map(Json::Number)
            .ok_or_else(|| E::custom("a number that is not finite"))
    }

    fn visit_str<E: de::Error>(self, s: &str) -> Result<Json, E> {
        Ok(Json::String(s.to_owned()))
    }

    fn visit_string<E: de::Error>(self, s: String) -> Result<Json, E> {
        Ok(Json::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Json, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Json::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Json, A::Error> {
        let mut seen = BTreeSet::new();
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if !seen.insert(key.clone()) {
                return Err(de::Error::custom(format_args!(
                    "duplicate field `{}`",
                    crate::limits::quote(&key)
                )));
            }
            entries.push((key, map.next_value()?));
        }
        Ok(Json::Object(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_keep_the_order_written() {
        let text = r#"{"numerator":1,"denominator":2,"list":[true,null,"x",-3,1.5]}"#;
        let json: Json = serde_json::from_str(text).unwrap();
        assert_eq!(json.text(), text);
        let value: Value = (&json).into();
        assert_eq!(
            Json::from(value.clone()),
            serde_json::from_value(value).unwrap()
        );
        assert!(serde_json::from_str::<Json>(r#"{"a":1,"a":2}"#).is_err());
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
        assert_eq!(
            Json::of(&Pair { z: 1, a: 2 }).unwrap().text(),
            r#"{"z":1,"a":2}"#
        );
    }
}
