//! What the HTTP server adds to a request: the same requests through `Engine::handle`
//! directly (the floor: the library call the server makes for each) and through
//! `coproduction serve`'s router on loopback, in the same run, one client and eight at once.
//!
//! Each client runs its own rounds of the seed community's working model on the route
//! governance gives: opened, moved to the objection round, three members consent: seven
//! requests a round, every one accepted and journalled (a memory journal, so that what is
//! measured is the server, not a disk). The HTTP clients keep one connection each, as an
//! app's would. Run with `cargo bench --features server --bench serve`; it prints
//! throughput and latency percentiles for each line and the ratio to the floor.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::sync::Arc;
use std::time::{Duration, Instant};

use coproduction::Community;
use coproduction::engine::{Engine, EngineEvent, Request};
use coproduction::governance::Governance;
use coproduction::journal::MemoryJournal;
use coproduction::serve::{Clock, ServerConfig, router};
use serde_json::json;

const ROUNDS: usize = 150;
const CLIENTS: usize = 8;

fn engine() -> Arc<Engine<MemoryJournal<EngineEvent>>> {
    let community: Community =
        serde_json::from_str(include_str!("../examples/data/community.json")).unwrap();
    let governance =
        Governance::from_json(include_str!("../examples/data/governance.json"), &community)
            .unwrap();
    Arc::new(
        Engine::builder(community)
            .governance(governance)
            .open(MemoryJournal::new())
            .unwrap(),
    )
}

/// The requests of client `c`: its rounds, seven requests each, as (actor, JSON).
fn requests(c: usize, rounds: usize) -> Vec<(u64, String)> {
    let mut out = Vec::new();
    for r in 0..rounds {
        let stream = format!("client-{c}-round-{r}");
        let at = |step: usize| format!("2022-09-01T10:00:{step:02}Z");
        out.push((
            1,
            json!({"stream": stream, "actor": 1, "now": at(0), "kind": "working_model",
                "command": {"process": "consent", "command": {"type": "open_on_route",
                    "title": "Pilot associate roles", "proposal": "Flexible roles, no titles.",
                    "roles": {"proposer": 1, "facilitator": 13, "secretary": 14}}}})
            .to_string(),
        ));
        for step in 1..=3 {
            out.push((
                13,
                json!({"stream": stream, "actor": 13, "now": at(step),
                    "command": {"process": "consent", "command": {"type": "advance"}}})
                .to_string(),
            ));
        }
        for (step, member) in (4..).zip([1, 13, 14]) {
            out.push((
                member,
                json!({"stream": stream, "actor": member, "now": at(step),
                    "command": {"process": "consent", "command": {"type": "respond",
                        "member": member, "response": {"type": "consent"}}}})
                .to_string(),
            ));
        }
    }
    out
}

/// One HTTP/1.1 connection kept open.
struct Client {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
}

impl Client {
    fn connect(addr: &str) -> Self {
        let writer = TcpStream::connect(addr).unwrap();
        writer.set_nodelay(true).unwrap();
        Self {
            reader: BufReader::new(writer.try_clone().unwrap()),
            writer,
        }
    }

    /// POSTs `body` as `member`; the status.
    fn post(&mut self, member: u64, body: &str) -> u16 {
        write!(
            self.writer,
            "POST /requests HTTP/1.1\r\nHost: x\r\nx-coproduction-member: {member}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        )
        .unwrap();
        let mut line = String::new();
        self.reader.read_line(&mut line).unwrap();
        let status = line[9..12].parse().unwrap();
        let mut length = 0;
        loop {
            line.clear();
            self.reader.read_line(&mut line).unwrap();
            if line == "\r\n" {
                break;
            }
            if let Some(v) = line.to_ascii_lowercase().strip_prefix("content-length:") {
                length = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        self.reader.read_exact(&mut body).unwrap();
        status
    }
}

/// Latencies and the wall time of a run.
struct Run {
    latencies: Vec<Duration>,
    wall: Duration,
}

impl Run {
    fn line(&self, name: &str, floor: Option<&Run>) {
        let mut l = self.latencies.clone();
        l.sort();
        let pick = |q: usize| l[(l.len() * q / 100).min(l.len() - 1)];
        let throughput = l.len() as f64 / self.wall.as_secs_f64();
        let ratio = floor.map_or_else(String::new, |f| {
            let ft = f.latencies.len() as f64 / f.wall.as_secs_f64();
            format!("{:.2}x the floor's time per request", ft / throughput)
        });
        println!(
            "| {name} | {} | {throughput:.0}/s | {:?} | {:?} | {ratio} |",
            l.len(),
            pick(50),
            pick(99)
        );
    }
}

/// Runs `clients` clients at once, each with its own requests, through `send`.
fn run(clients: usize, send: impl Fn(usize) -> Box<dyn FnMut(u64, &str) + Send> + Sync) -> Run {
    let work: Vec<Vec<(u64, String)>> = (0..clients)
        .map(|c| requests(c, ROUNDS / clients.max(1)))
        .collect();
    let started = Instant::now();
    let latencies = std::thread::scope(|scope| {
        let handles: Vec<_> = work
            .iter()
            .enumerate()
            .map(|(c, requests)| {
                let mut sender = send(c);
                scope.spawn(move || {
                    let mut latencies = Vec::with_capacity(requests.len());
                    for (member, body) in requests {
                        let sent = Instant::now();
                        sender(*member, body);
                        latencies.push(sent.elapsed());
                    }
                    latencies
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap())
            .collect()
    });
    Run {
        latencies,
        wall: started.elapsed(),
    }
}

/// Starts the router over a fresh engine on a loopback port; its address.
fn server(runtime: &tokio::runtime::Runtime) -> String {
    let app = router(
        engine(),
        ServerConfig {
            clock: Clock::Request,
            ..ServerConfig::default()
        },
    );
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    runtime.spawn(async move { axum::serve(listener, app).await });
    addr
}

fn main() {
    // `cargo test --benches` runs this too: there, one round, to show that it works.
    let quick = std::env::args().any(|a| a == "--test" || a == "--list");
    if std::env::args().any(|a| a == "--list") {
        return;
    }
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!("| line | requests | throughput | p50 | p99 | against the floor |");
    println!("|---|---|---|---|---|---|");
    for clients in [1, CLIENTS] {
        let direct = {
            let engine = engine();
            run(clients, |_| {
                let engine = Arc::clone(&engine);
                Box::new(move |_, body| {
                    let request: Request = serde_json::from_str(body).unwrap();
                    engine.handle(request).unwrap();
                })
            })
        };
        direct.line(&format!("library, {clients} client(s) (floor)"), None);
        let addr = server(&runtime);
        let http = run(clients, |_| {
            let mut client = Client::connect(&addr);
            Box::new(move |member, body| assert_eq!(client.post(member, body), 200))
        });
        http.line(&format!("HTTP, {clients} client(s)"), Some(&direct));
        if quick {
            break;
        }
    }
}
