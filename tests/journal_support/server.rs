//! A schema of its own on the test server for each PostgreSQL test, so that tests run in
//! parallel on one server without seeing each other's journals.
//!
//! The server is named by `COPRODUCTION_PG_URL` (a libpq connection string, as
//! `.ci/postgres.sh` prints it). When it is unset a test says on standard error that it
//! skipped and passes, unless `COPRODUCTION_REQUIRE_POSTGRES` is set: then it fails.
//!
//! The same server's database that takes only TLS connections is named by
//! `COPRODUCTION_PG_TLS_URL`, and the certificate to trust for it by `COPRODUCTION_PG_TLS_CA`
//! ([`Schema::create_tls`]).
//!
//! Shared by the PostgreSQL journal's unit tests and integration tests, so it uses nothing
//! but `std`, the `postgres` client and its OpenSSL connector.
#![allow(dead_code)]

use std::io::Write;

use openssl::ssl::{SslConnector, SslMethod};
use postgres::{Client, NoTls};
use postgres_openssl::MakeTlsConnector;

/// The variable naming the test server.
pub const URL_VAR: &str = "COPRODUCTION_PG_URL";
/// The variable naming the server's database that takes only TLS connections.
pub const TLS_URL_VAR: &str = "COPRODUCTION_PG_TLS_URL";
/// The variable naming the certificate (PEM) to trust for it.
pub const TLS_CA_VAR: &str = "COPRODUCTION_PG_TLS_CA";
/// The variable that turns a skip into a failure.
pub const REQUIRE_VAR: &str = "COPRODUCTION_REQUIRE_POSTGRES";

/// A schema created for one test, dropped when the test passes (kept for a look when it
/// fails).
pub struct Schema {
    name: String,
    base: String,
    url: String,
    /// The connector trusting the server's certificate, for a schema on the TLS database.
    tls: Option<MakeTlsConnector>,
}

/// The value of `var`, or `None` after saying the test skipped (a failure when
/// `COPRODUCTION_REQUIRE_POSTGRES` is set).
fn server_var(test: &str, var: &str) -> Option<String> {
    match std::env::var(var) {
        Ok(value) => Some(value),
        Err(_) => {
            assert!(
                std::env::var_os(REQUIRE_VAR).is_none(),
                "{test}: {REQUIRE_VAR} is set but {var} is not"
            );
            // Straight to the stream: the test harness captures `eprintln!`.
            let _ = writeln!(
                std::io::stderr(),
                "skipped {test}: set {var} to run it against a PostgreSQL server"
            );
            None
        }
    }
}

/// A connector that trusts the certificate in the PEM file `ca` and nothing else.
pub fn trusting(ca: &str) -> MakeTlsConnector {
    let mut builder = SslConnector::builder(SslMethod::tls()).unwrap();
    builder.set_ca_file(ca).unwrap();
    MakeTlsConnector::new(builder.build())
}

/// A connection to `url`, through `tls` when there is one.
fn connect(url: &str, tls: Option<&MakeTlsConnector>) -> Result<Client, postgres::Error> {
    match tls {
        Some(tls) => Client::connect(url, tls.clone()),
        None => Client::connect(url, NoTls),
    }
}

impl Schema {
    /// A new, empty schema for the test `test` (lowercase letters, digits and `_`), or
    /// `None` when no server is named.
    pub fn create(test: &str) -> Option<Schema> {
        Self::create_on(test, server_var(test, URL_VAR)?, None)
    }

    /// A new, empty schema for the test `test` in the database that takes only TLS
    /// connections, or `None` when none is named.
    pub fn create_tls(test: &str) -> Option<Schema> {
        let base = server_var(test, TLS_URL_VAR)?;
        let ca = server_var(test, TLS_CA_VAR)?;
        Self::create_on(test, base, Some(trusting(&ca)))
    }

    fn create_on(test: &str, base: String, tls: Option<MakeTlsConnector>) -> Option<Schema> {
        assert!(
            test.bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_'),
            "{test}"
        );
        let name = format!("{test}_{}", std::process::id());
        let mut admin = connect(&base, tls.as_ref())
            .unwrap_or_else(|e| panic!("{test}: cannot connect to {base}: {e}"));
        admin
            .batch_execute(&format!(
                "DROP SCHEMA IF EXISTS {name} CASCADE; CREATE SCHEMA {name}"
            ))
            .unwrap();
        let url = with_search_path(&base, &name);
        Some(Schema {
            name,
            base,
            url,
            tls,
        })
    }

    /// The connector trusting the server's certificate, for a schema on the TLS database.
    pub fn tls(&self) -> Option<&MakeTlsConnector> {
        self.tls.as_ref()
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
        connect(&self.url, self.tls.as_ref()).unwrap()
    }
}

impl Drop for Schema {
    fn drop(&mut self) {
        if std::thread::panicking() {
            return;
        }
        if let Ok(mut admin) = connect(&self.base, self.tls.as_ref()) {
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
