//! Two `coproduction serve` processes on one shared journal, driven by a bounded load on
//! loopback with deliberate conflicts (several clients at once on the same few streams,
//! through both servers): no event is lost or written twice, every refused request writes
//! nothing, both servers end in the same state, and the journal's chain verifies.
//!
//! The journal is a SQLite file (features `server` and `sqlite`), which two servers on one
//! machine can share, and a PostgreSQL database (feature `postgres`) on the server
//! `COPRODUCTION_PG_URL` names, as `.ci/postgres.sh` starts one (skipped without it, unless
//! `COPRODUCTION_REQUIRE_POSTGRES` is set); with feature `postgres-tls`, a server on that
//! server's database that takes only TLS.
#![cfg(all(feature = "server", feature = "sqlite", unix))]

mod serve_support;

use std::time::{Duration, Instant};

use coproduction::engine::EngineEvent;
use coproduction::journal::{Envelope, Journal, SqliteJournal};
use serde_json::{Value, json};
use serve_support::{http, start};

/// The load: how many rounds, clients and requests per client. Small by default; set
/// `COPRODUCTION_LOAD=STREAMS,CLIENTS,REQUESTS` (each at most 100, 16 and 2,000) for a
/// bigger run, for example `100,8,1000`.
fn load() -> (usize, usize, usize) {
    let asked: Vec<usize> = std::env::var("COPRODUCTION_LOAD")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_default();
    match asked[..] {
        [streams, clients, requests] => (
            streams.clamp(1, 100),
            clients.clamp(1, 16),
            requests.clamp(1, 2_000),
        ),
        _ => (5, 4, 60),
    }
}

fn stream(n: usize) -> String {
    format!("round-{n}")
}

fn request(stream: &str, actor: u64, second: usize, command: Value) -> String {
    json!({
        "stream": stream, "actor": actor,
        // From 10:01 on the day the rounds opened, a second a request.
        "now": jiff::Timestamp::from_second(1_662_026_460 + second as i64).unwrap().to_string(),
        "command": {"process": "consent", "command": command}
    })
    .to_string()
}

#[test]
fn two_servers_on_one_sqlite_journal_lose_nothing_and_end_alike() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("journal.db");
    let db = db.to_str().unwrap();
    two_servers_share(&["--sqlite", db], || {
        SqliteJournal::<EngineEvent>::open(db)
            .unwrap()
            .read_all()
            .unwrap()
    });
}

#[cfg(feature = "postgres")]
#[path = "journal_support/server.rs"]
mod pg_server;

#[test]
#[cfg(feature = "postgres")]
fn two_servers_on_one_postgresql_journal_lose_nothing_and_end_alike() {
    let Some(schema) = pg_server::Schema::create("two_servers_share") else {
        return;
    };
    let url = schema.url().to_owned();
    two_servers_share(&["--postgres", &url], || {
        coproduction::journal::PostgresJournal::<EngineEvent>::open(&url)
            .unwrap()
            .read_all()
            .unwrap()
    });
}

#[test]
#[cfg(feature = "postgres-tls")]
fn a_server_on_a_tls_only_postgresql_journal_connects_only_trusting_the_certificate_given() {
    let Some(schema) = pg_server::Schema::create_tls("serve_over_tls") else {
        return;
    };
    let ca = std::env::var(pg_server::TLS_CA_VAR).unwrap();
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data");
    let community = format!("{data}/community.json");
    let governance = format!("{data}/governance.json");
    let founding = [
        "--community",
        community.as_str(),
        "--governance",
        governance.as_str(),
    ];
    // Trusting only the system's certificates, the tool does not trust the server's and
    // stops before it listens.
    let refused = std::process::Command::new(env!("CARGO_BIN_EXE_coproduction"))
        .args([
            "serve",
            "--postgres",
            schema.url(),
            "--listen",
            "127.0.0.1:0",
        ])
        .args(founding)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(3), "{stderr}");
    assert!(stderr.contains("connect to the server"), "{stderr}");
    // A certificate file that is not there is named, with why it cannot be read.
    let missing = std::process::Command::new(env!("CARGO_BIN_EXE_coproduction"))
        .args(["serve", "--postgres", schema.url(), "--postgres-ca"])
        .args(["/nonexistent/authority.pem", "--listen", "127.0.0.1:0"])
        .args(founding)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&missing.stderr);
    assert_eq!(missing.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("authority.pem"), "{stderr}");
    assert!(stderr.contains("No such file"), "{stderr}");
    // Given the certificate, it serves over TLS.
    let server = start(
        &[
            &["--postgres", schema.url(), "--postgres-ca", &ca],
            &founding[..],
        ]
        .concat(),
    );
    let open = json!({
        "stream": "working-model", "actor": 1, "now": "2022-09-01T10:00:00Z", "kind": "working_model",
        "command": {"process": "consent", "command": {"type": "open_on_route",
            "title": "Pilot associate roles", "proposal": "Flexible roles, no titles.",
            "roles": {"proposer": 1, "facilitator": 13, "secretary": 14}}}
    });
    let (status, body) = http(
        &server.addr,
        "POST",
        "/requests",
        Some(1),
        &open.to_string(),
    );
    assert_eq!(status, 200, "{body}");
    let journal = coproduction::journal::PostgresJournal::<EngineEvent>::open_with_tls(
        schema.url(),
        pg_server::trusting(&ca),
    )
    .unwrap();
    let streams: Vec<String> = journal
        .read_all()
        .unwrap()
        .iter()
        .map(|e| e.stream.as_str().to_owned())
        .collect();
    assert_eq!(streams.first().map(String::as_str), Some("community"));
    assert!(streams.iter().any(|s| s == "working-model"), "{streams:?}");
}

/// Two servers on the journal `store` names, under load; `read_all` reads that journal.
fn two_servers_share(store: &[&str], read_all: impl Fn() -> Vec<Envelope<EngineEvent>>) {
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data");
    let community = format!("{data}/community.json");
    let governance = format!("{data}/governance.json");
    let a = start(
        &[
            store,
            &["--community", &community, "--governance", &governance],
        ]
        .concat(),
    );
    let b = start(store);
    let (streams, clients, requests) = load();

    // The rounds, opened through A.
    for n in 0..streams {
        let open = json!({
            "stream": stream(n), "actor": 1, "now": "2022-09-01T10:00:00Z", "kind": "working_model",
            "command": {"process": "consent", "command": {"type": "open_on_route",
                "title": "Pilot associate roles", "proposal": "Flexible roles, no titles.",
                "roles": {"proposer": 1, "facilitator": 13, "secretary": 14}}}
        });
        let (status, body) = http(&a.addr, "POST", "/requests", Some(1), &open.to_string());
        assert_eq!(status, 200, "{body}");
    }

    // Clients at once, each through both servers in turn, on the same few rounds: the
    // facilitator advances (three advances reach the objection round; more are refused),
    // the team's members respond.
    let addrs = [a.addr.clone(), b.addr.clone()];
    let started = Instant::now();
    let workers: Vec<_> = (0..clients)
        .map(|c| {
            let addrs = addrs.clone();
            std::thread::spawn(move || {
                let mut written = 0usize;
                let mut latencies = Vec::new();
                for r in 0..requests {
                    let target = stream((c + r) % streams);
                    let second = r * clients + c;
                    let (actor, command) = match r % 4 {
                        0 | 1 => (13, json!({"type": "advance"})),
                        2 => (1, json!({"type": "respond", "member": 1, "response": {"type": "consent"}})),
                        _ => (14, json!({"type": "respond", "member": 14, "response": {"type": "consent"}})),
                    };
                    let body = request(&target, actor, second, command);
                    let sent = Instant::now();
                    let (status, text) = http(&addrs[(c + r) % 2], "POST", "/requests", Some(actor), &body);
                    latencies.push(sent.elapsed());
                    match status {
                        200 => {
                            let events: Value = serde_json::from_str(&text).unwrap();
                            written += events["events"].as_array().unwrap().len();
                        }
                        409 | 422 => {}
                        other => panic!("{other}: {text}"),
                    }
                }
                (written, latencies)
            })
        })
        .collect();
    let mut written = 0;
    let mut latencies = Vec::new();
    for client in workers {
        let (w, l) = client.join().unwrap();
        written += w;
        latencies.extend(l);
    }
    let elapsed = started.elapsed();
    latencies.sort();
    let p99 = latencies[latencies.len() * 99 / 100];
    println!(
        "{} requests through two servers in {elapsed:?}: {:.0} requests/s, p99 {p99:?}",
        latencies.len(),
        latencies.len() as f64 / elapsed.as_secs_f64()
    );
    assert!(p99 < Duration::from_secs(30), "bounded");

    // Every accepted request's events are in the journal once; refused ones wrote nothing.
    let all = read_all();
    let opened: usize = (0..streams)
        .map(|n| {
            all.iter()
                .filter(|e| e.stream.as_str() == stream(n))
                .count()
        })
        .sum();
    let founding = all
        .iter()
        .filter(|e| e.stream.as_str() == "community")
        .count();
    assert_eq!(all.len(), founding + opened);
    assert_eq!(
        all.len(),
        founding + streams * 2 + written,
        "opening writes two events a round"
    );
    for (n, e) in all.iter().enumerate() {
        assert_eq!(e.position, n as u64 + 1, "no gap, no repeat");
        if n > 0 {
            assert_eq!(
                e.prev,
                all[n - 1].hash,
                "the chain holds across both writers"
            );
        }
    }

    // Both servers end in the same state, and say so through the API.
    for n in 0..streams {
        let path = format!("/streams/{}", stream(n));
        let (sa, va) = http(&a.addr, "GET", &path, None, "");
        let (sb, vb) = http(&b.addr, "GET", &path, None, "");
        assert_eq!((sa, sb), (200, 200));
        assert_eq!(va, vb, "{path}");
        let now = "now=2022-09-01T11:00:00Z";
        let record = format!("{path}/record?{now}");
        assert_eq!(
            http(&a.addr, "GET", &record, None, "").1,
            http(&b.addr, "GET", &record, None, "").1
        );
    }
    // And the feed, from either server, page by page from each cursor, is the journal:
    // every envelope once, in order.
    let mut fed = Vec::new();
    let mut cursor = 0;
    loop {
        let (status, page) = http(&b.addr, "GET", &format!("/events?after={cursor}"), None, "");
        assert_eq!(status, 200);
        let page: Value = serde_json::from_str(&page).unwrap();
        let events = page["events"].as_array().unwrap();
        if events.is_empty() {
            break;
        }
        fed.extend(events.iter().map(|e| e["position"].as_u64().unwrap()));
        cursor = page["next"].as_u64().unwrap();
    }
    let positions: Vec<u64> = all.iter().map(|e| e.position).collect();
    assert_eq!(fed, positions);
}
