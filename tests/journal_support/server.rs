//! A schema of its own on the test server for each PostgreSQL test, so that tests run in
//! parallel on one server without seeing each other's journals.
//!
//! The server is named by `COPRODUCTION_PG_URL` (a libpq connection string, as
//! `.ci/postgres.sh` prints it). When it is unset a test says on standard error that it
//! skipped and passes, unless `COPRODUCTION_REQUIRE_POSTGRES` is set: then it fails.
//!
//! Shared by the PostgreSQL journal's unit tests and integration tests, so it uses nothing
//! but `std` and the `postgres` client.
#![allow(dead_code)]

use std::io::Write;

use postgres::{Client, NoTls};

/// The variable naming the test server.
pub const URL_VAR: &str = "COPRODUCTION_PG_URL";
/// The variable that turns a skip into a failure.
pub const REQUIRE_VAR: &str = "COPRODUCTION_REQUIRE_POSTGRES";

/// A schema created for one test, dropped when the test passes (kept for a look when it
/// fails).
pub struct Schema {
    name: String,
    base: String,
    url: String,
}

impl Schema {
    /// A new, empty schema for the test `test` (lowercase letters, digits and `_`), or
    /// `None` when no server is named.
    pub fn create(test: &str) -> Option<Schema> {
        let Ok(base) = std::env::var(URL_VAR) else {
            assert!(
                std::env::var_os(REQUIRE_VAR).is_none(),
                "{test}: {REQUIRE_VAR} is set but {URL_VAR} is not"
            );
            // Straight to the stream: the test harness captures `eprintln!`.
            let _ = writeln!(
                std::io::stderr(),
                "skipped {test}: set {URL_VAR} to run it against a PostgreSQL server"
            );
            return None;
        };
        assert!(
            test.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "{test}"
        );
        let name = format!("{test}_{}", std::process::id());
        let mut admin = Client::connect(&base, NoTls)
            .unwrap_or_else(|e| panic!("{test}: cannot connect to {URL_VAR}: {e}"));
        admin
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"
            ))
            .unwrap();
        let url = with_search_path(&base, &name);
        Some(Schema { name, base, url })
    }

    /// The schema's name, which is also its sessions' `application_name`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The connection string whose `search_path` is this schema.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A connection of its own to this schema, to look at or change the tables behind a
    /// journal's back.
    pub fn client(&self) -> Client {
        Client::connect(&self.url, NoTls).unwrap()
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        if let Ok(mut admin) = Client::connect(&self.base, NoTls) {
            let _ = admin.batch_execute(&format!("DROP SCHEMA IF EXISTS {} CASCADE", self.name));
        }
    }
}

/// `base` with `search_path` set to `schema`, and the schema's name as the sessions'
/// `application_name` (so a test can find its own sessions), in the form `base` is
/// written in.
fn with_search_path(base: &str, schema: &str) -> String {
    if base.starts_with("postgres://") || base.starts_with("postgresql://") {
        let separator = if base.contains('?') { '&' } else { '?' };
        format!("{base}{separator}options=-csearch_path%3D{schema}&application_name={schema}")
    } else {
        format!("{base} options='-c search_path={schema}' application_name={schema}")
    }
}
