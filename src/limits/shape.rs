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

/// The first place under `within` (a path as [`positional`] renders it; empty for the
/// whole input) where `input` has an array that opens with the tag `tag`: a variant of an
/// internally tagged enum written as an array. Serde reads such a variant from a buffered
/// copy and cannot say where it stood; its name, from serde's message, finds it.
/// Tags are compared as written in `snake_case` against the variant's name.
pub(super) fn tagged_array(input: &Value, within: &str, variant: &str) -> Option<String> {
    let wanted: String = variant.chars().filter(|c| *c != '_').collect();
    let mut path = Vec::new();
    let mut found = None;
    find_tagged(input, &wanted, within, &mut path, &mut found);
    found
}

fn find_tagged<'a>(
    value: &'a Value,
    wanted: &str,
    within: &str,
    path: &mut Vec<Step<'a>>,
    found: &mut Option<String>,
) {
    if found.is_some() {
        return;
    }
    match value {
        Value::Array(items) => {
            let tagged = items.first().and_then(Value::as_str).is_some_and(|tag| {
                tag.chars()
                    .filter(|c| *c != '_')
                    .eq(wanted.chars().map(|c| c.to_ascii_lowercase()))
            });
            if tagged {
                let here = render(path);
                if here.starts_with(within) {
                    *found = Some(here);
                    return;
                }
            }
            for (n, item) in items.iter().enumerate() {
                path.push(Step::Index(n));
                find_tagged(item, wanted, within, path, found);
                path.pop();
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                path.push(Step::Key(key));
                find_tagged(item, wanted, within, path, found);
                path.pop();
            }
        }
        _ => {}
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
