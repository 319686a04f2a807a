//! Where input writes an object as a positional array: the input beside its canonical form.

use serde_json::Value;

use super::quote;

/// One step of a JSON path.
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// The first place, as a JSON path, where `input` has an array and `canonical` (the same
/// value read and written back out) an object; `None` when there is none.
///
/// Objects are compared key by key (a key the canonical form leaves out, such as an empty
/// list skipped when written, has nothing to compare with). Arrays are compared element by
/// element; an element past the canonical array's end (a set that dropped a duplicate, say)
/// is compared with its first element, which has the same type.
pub(super) fn positional(input: &Value, canonical: &Value) -> Option<String> {
    let mut path = Vec::new();
    walk(input, canonical, &mut path).then(|| render(&path))
}

fn walk<'a>(input: &'a Value, canonical: &Value, path: &mut Vec<Step<'a>>) -> bool {
    match (input, canonical) {
        (Value::Array(_), Value::Object(_)) => true,
        (Value::Object(input), Value::Object(canonical)) => input.iter().any(|(key, value)| {
            canonical.get(key).is_some_and(|c| {
                path.push(Step::Key(key));
                let found = walk(value, c, path);
                if !found {
                    path.pop();
                }
                found
            })
        }),
        (Value::Array(input), Value::Array(canonical)) => {
            input.iter().enumerate().any(|(n, value)| {
                canonical
                    .get(n)
                    .or_else(|| canonical.first())
                    .is_some_and(|c| {
                        path.push(Step::Index(n));
                        let found = walk(value, c, path);
                        if !found {
                            path.pop();
                        }
                        found
                    })
            })
        }
        _ => false,
    }
}

fn render(path: &[Step<'_>]) -> String {
    let mut out = String::new();
    for step in path {
        match step {
            Step::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                out.push_str(&quote(key));
            }
            Step::Index(n) => {
                out.push('[');
                out.push_str(&n.to_string());
                out.push(']');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn an_array_where_the_canonical_form_has_an_object_is_found() {
        let canonical = json!({"a": {"b": [{"c": 1}, {"c": 2}]}, "list": [1, 2]});
        assert_eq!(positional(&canonical, &canonical), None);
        let input = json!({"a": {"b": [{"c": 1}, [2]]}, "list": [1, 2]});
        assert_eq!(positional(&input, &canonical), Some("a.b[1]".into()));
        let input = json!([{"b": []}, [1, 2]]);
        assert_eq!(positional(&input, &canonical), Some(String::new()));
    }

    #[test]
    fn tuples_lists_and_skipped_keys_pass() {
        let canonical = json!({"objections": [[1, 14, "reason"]], "kept": 1});
        let input = json!({"objections": [[1, 14, "reason"]], "kept": 1, "skipped": []});
        assert_eq!(positional(&input, &canonical), None);
    }

    #[test]
    fn extra_elements_are_compared_with_the_first() {
        let canonical = json!({"set": [{"x": 1}]});
        let input = json!({"set": [{"x": 1}, {"x": 1}, [1]]});
        assert_eq!(positional(&input, &canonical), Some("set[2]".into()));
    }
}
