//! The HTTP API (feature `server`), every endpoint driven through the router as a client
//! would: requests in the wire format with the acting member in the header the app's
//! authentication sets, refusals as typed errors, records in every form, and the event feed
//! by long-poll and server-sent events, across a restart.
#![cfg(feature = "server")]

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request as HttpRequest, StatusCode};
use coproduction::engine::{Engine, EngineEvent};
use coproduction::governance::Governance;
use coproduction::journal::{FileJournal, Journal, MemoryJournal};
use coproduction::process::ProcessKind;
use coproduction::serve::{
    ActorSource, Clock, ErrorBody, ErrorDetail, FeedPage, ServerConfig, StreamView, router,
};
use coproduction::{Community, ConsentProcess};
use serde_json::{Value, json};
use tower::ServiceExt;

#[cfg(unix)]
mod serve_support;

fn community() -> Community {
    serde_json::from_str(include_str!("../examples/data/community.json")).unwrap()
}

fn engine_on<J: Journal<Event = EngineEvent>>(journal: J) -> Engine<J> {
    let community = community();
    let governance =
        Governance::from_json(include_str!("../examples/data/governance.json"), &community)
            .unwrap();
    Engine::builder(community)
        .governance(governance)
        .open(journal)
        .unwrap()
}

/// A server that takes requests' times at their word (they are dated in 2022), the actor
/// from the default header.
fn config() -> ServerConfig {
    ServerConfig {
        clock: Clock::Request,
        poll: Duration::from_millis(20),
        ..ServerConfig::default()
    }
}

fn app() -> (Router, Arc<Engine<MemoryJournal<EngineEvent>>>) {
    let engine = Arc::new(engine_on(MemoryJournal::new()));
    (router(Arc::clone(&engine), config()), engine)
}

/// Sends `request` and returns the status and the body as text.
async fn send(app: &Router, request: HttpRequest<Body>) -> (StatusCode, String) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 24)
        .await
        .unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

async fn get(app: &Router, path: &str) -> (StatusCode, String) {
    send(app, HttpRequest::get(path).body(Body::empty()).unwrap()).await
}

/// POSTs `body` as member `as_member` (in the header), or with no header.
async fn post(app: &Router, as_member: Option<u64>, body: &str) -> (StatusCode, String) {
    let mut request = HttpRequest::post("/requests").header("content-type", "application/json");
    if let Some(member) = as_member {
        request = request.header("x-coproduction-member", member.to_string());
    }
    send(app, request.body(Body::from(body.to_owned())).unwrap()).await
}

/// Asserts each of `paths` is refused as a bad request of `kind`.
async fn bad_requests(app: &Router, paths: &[&str], kind: &str) {
    for path in paths {
        let (status, body) = get(app, path).await;
        assert_eq!(
            (status, kind_of(&body).as_str()),
            (StatusCode::BAD_REQUEST, kind),
            "{path}: {body}"
        );
    }
}

fn kind_of(body: &str) -> String {
    let error: ErrorBody = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    error.error.kind
}

fn request(actor: u64, minute: u32, command: Value) -> String {
    json!({
        "stream": "working-model", "actor": actor,
        "now": format!("2022-09-01T10:{minute:02}:00Z"),
        "command": {"process": "consent", "command": command}
    })
    .to_string()
}

fn open_round() -> String {
    json!({
        "stream": "working-model", "actor": 1, "now": "2022-09-01T10:00:00Z",
        "kind": "working_model",
        "command": {"process": "consent", "command": {"type": "open_on_route",
            "title": "Pilot associate roles", "proposal": "Flexible roles, no titles.",
            "roles": {"proposer": 1, "facilitator": 13, "secretary": 14}}}
    })
    .to_string()
}

/// Member `member` consents, through the API, at `minute`.
async fn consents(app: &Router, member: u64, minute: u32) {
    let respond = json!({"type": "respond", "member": member, "response": {"type": "consent"}});
    let (status, body) = post(app, Some(member), &request(member, minute, respond)).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// Opens the round and moves it to its objection round, through the API.
async fn round_in_objections(app: &Router) {
    let (status, body) = post(app, Some(1), &open_round()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for minute in 1..=3 {
        let (status, body) = post(
            app,
            Some(13),
            &request(13, minute, json!({"type": "advance"})),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
}

#[tokio::test]
async fn a_request_acts_as_the_member_the_header_names_and_no_other() {
    let (app, engine) = app();
    // No header: the server does not take the body's word.
    let (status, body) = post(&app, None, &open_round()).await;
    assert_eq!(
        (status, kind_of(&body).as_str()),
        (StatusCode::UNAUTHORIZED, "no_actor")
    );
    // A forged actor: the body says member 1, the authenticated member is 5.
    let (status, body) = post(&app, Some(5), &open_round()).await;
    assert_eq!(
        (status, kind_of(&body).as_str()),
        (StatusCode::FORBIDDEN, "actor_mismatch")
    );
    assert!(body.contains("names m5"), "{body}");
    // Two headers, one for the member the body names and one for another: one member acts.
    let twice = HttpRequest::post("/requests")
        .header("content-type", "application/json")
        .header("x-coproduction-member", "1")
        .header("x-coproduction-member", "13")
        .body(Body::from(open_round()))
        .unwrap();
    let (status, body) = send(&app, twice).await;
    assert_eq!(
        (status, kind_of(&body).as_str()),
        (StatusCode::UNAUTHORIZED, "no_actor")
    );
    assert!(body.contains("more than one"), "{body}");
    // Nothing was written by any: the journal holds its founding alone.
    let written = engine.journal().read_all().unwrap();
    assert_eq!(written.len(), 1);
    assert_eq!(written[0].stream, coproduction::living::stream());
    let (status, body) = post(&app, Some(1), &open_round()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let written: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(written["events"][0]["stream"], "working-model");
    assert_eq!(written["events"][0]["actor"], 1);

    // A server that trusts the body, on a trusted network, needs no header.
    let trusting = router(
        Arc::new(engine_on(MemoryJournal::new())),
        ServerConfig {
            actor: ActorSource::Body,
            ..config()
        },
    );
    let (status, body) = post(&trusting, None, &open_round()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// A refusal every process makes alike carries its shared name and the process on the
/// wire, so a client in any language handles "not in this phase" once.
#[tokio::test]
async fn a_shared_refusal_names_its_process_and_kind_on_the_wire() {
    let (app, _engine) = app();
    round_in_objections(&app).await;
    let shared = |text: &str| {
        let error: ErrorBody = serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"));
        let refusal = error
            .error
            .refusal
            .unwrap_or_else(|| panic!("no refusal: {text}"));
        (refusal.process, refusal.kind)
    };
    // Questions belong to the clarifying phase, long past.
    let ask = request(
        13,
        10,
        json!({"type": "ask_question", "question": "Why now?"}),
    );
    let (status, text) = post(&app, Some(13), &ask).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{text}");
    assert_eq!(
        shared(&text),
        (ProcessKind::Consent, "wrong_phase".to_owned())
    );
    let body: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(
        body["error"]["refusal"],
        json!({"process": "consent", "kind": "wrong_phase"})
    );
    // Only the facilitator moves the round on.
    let advance = request(1, 10, json!({"type": "advance"}));
    let (_, text) = post(&app, Some(1), &advance).await;
    assert_eq!(
        shared(&text),
        (ProcessKind::Consent, "wrong_role".to_owned())
    );
    assert!(text.contains("is not the round's facilitator"), "{text}");
    // A refusal of the engine's own (nobody the community knows) has no shared name.
    let (status, text) = post(&app, Some(99), &request(99, 10, json!({"type": "advance"}))).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "{text}");
    let error: ErrorBody = serde_json::from_str(&text).unwrap();
    assert_eq!(error.error.refusal, None, "{text}");
    assert!(!text.contains("\"refusal\""), "{text}");
}

#[tokio::test]
async fn malformed_hostile_and_refused_requests_keep_their_typed_errors_and_write_nothing() {
    let (app, engine) = app();
    round_in_objections(&app).await;
    let before = engine.journal().read_all().unwrap().len();
    for (body, status, kind) in [
        ("{not json".to_owned(), StatusCode::BAD_REQUEST, "json"),
        (
            open_round().replace("\"kind\"", "\"sneaky\": 1, \"kind\""),
            StatusCode::BAD_REQUEST,
            "json",
        ),
        (
            // A command as an array: refused as positional, naming where.
            r#"{"stream": "working-model", "actor": 1, "now": "2022-09-01T10:09:00Z", "command": ["consent"]}"#.to_owned(),
            StatusCode::BAD_REQUEST,
            "input",
        ),
        (
            // The round's roles as the positional array of their fields.
            open_round().replace(
                r#"{"proposer":1,"facilitator":13,"secretary":14}"#,
                "[1, 13, 14]",
            ),
            StatusCode::BAD_REQUEST,
            "input",
        ),
        (
            // Not eligible: member 5 sits on the Allies Group, not the deciding team.
            request(5, 10, json!({"type": "respond", "member": 5, "response": {"type": "consent"}})),
            StatusCode::UNPROCESSABLE_ENTITY,
            "refused",
        ),
        (
            // Backdated before the round opened.
            request(13, 0, json!({"type": "respond", "member": 13, "response": {"type": "consent"}}))
                .replace("10:00:00Z", "09:00:00Z"),
            StatusCode::UNPROCESSABLE_ENTITY,
            "refused",
        ),
        (
            json!({"stream": "nobody-opened-this", "actor": 1, "now": "2022-09-01T10:09:00Z",
                   "command": {"process": "consent", "command": {"type": "advance"}}})
            .to_string(),
            StatusCode::NOT_FOUND,
            "unknown_stream",
        ),
    ] {
        let actor = serde_json::from_str::<Value>(&body)
            .ok()
            .and_then(|v| v["actor"].as_u64())
            .unwrap_or(1);
        let (got, text) = post(&app, Some(actor), &body).await;
        assert_eq!((got, kind_of(&text).as_str()), (status, kind), "{text}");
        assert!(text.len() < 2_000, "a short message: {text}");
    }
    // A huge field is refused before it is read, and quoted only in short.
    let huge = request(
        13,
        10,
        json!({"type": "respond", "member": 13,
        "response": {"type": "consent_with_concern", "concern": "x".repeat(200_000)}}),
    );
    let (status, text) = post(&app, Some(13), &huge).await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "{}",
        &text[..200.min(text.len())]
    );
    assert!(text.len() < 2_000);
    // A body over the line limit is refused by the server itself.
    let (status, _) = post(&app, Some(13), &"x".repeat(3 << 20)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(engine.journal().read_all().unwrap().len(), before);
}

/// Sends `request` and returns the status, the `Allow` header if any, and the typed error
/// in the body, which must be JSON.
async fn refused(
    app: &Router,
    request: HttpRequest<Body>,
) -> (StatusCode, Option<String>, ErrorDetail) {
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let headers = response.headers().clone();
    // A time limit: a stream of server-sent events, where an error belongs, has no end.
    let read = axum::body::to_bytes(response.into_body(), 1 << 24);
    let bytes = tokio::time::timeout(Duration::from_secs(5), read)
        .await
        .unwrap_or_else(|_| panic!("{status}: {headers:?}, a body with no end"))
        .unwrap();
    let body = String::from_utf8_lossy(&bytes);
    assert_eq!(
        headers.get("content-type").map(|v| v.to_str().unwrap()),
        Some("application/json"),
        "{status}: {body}"
    );
    assert!(body.len() < 2_000, "a short message: {body}");
    let allow = headers.get("allow").map(|v| v.to_str().unwrap().to_owned());
    let error: ErrorBody = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{e}: {body}"));
    (status, allow, error.error)
}

/// A body too long, a body not in UTF-8, a path with no endpoint, a method an endpoint does
/// not take, a stream's name that cannot be read: each refused in the typed JSON error body,
/// with its own status and kind, and nothing written.
#[tokio::test]
async fn what_the_router_refuses_before_a_handler_is_a_typed_json_error_too() {
    let (app, engine) = app();
    let before = engine.journal().read_all().unwrap().len();
    let posted = |body: Body| {
        HttpRequest::post("/requests")
            .header("content-type", "application/json")
            .header("x-coproduction-member", "1")
            .body(body)
            .unwrap()
    };
    // Twice the limit, and one byte over it: both `too_large`, with or without a length.
    for length in [2 << 20, coproduction::limits::REQUEST_LINE_BYTES + 1] {
        let (status, _, error) = refused(&app, posted(Body::from("x".repeat(length)))).await;
        assert_eq!(
            (status, error.kind.as_str()),
            (StatusCode::PAYLOAD_TOO_LARGE, "too_large")
        );
        let streamed = Body::from_stream(futures_util::stream::iter([Ok::<_, std::io::Error>(
            "x".repeat(length),
        )]));
        let (status, _, error) = refused(&app, posted(streamed)).await;
        assert_eq!(
            (status, error.kind.as_str()),
            (StatusCode::PAYLOAD_TOO_LARGE, "too_large")
        );
    }
    let (status, _, error) = refused(
        &app,
        posted(Body::from(&b"{\"stream\": \"u\xff\", \"actor\": 1}"[..])),
    )
    .await;
    assert_eq!(
        (status, error.kind.as_str()),
        (StatusCode::BAD_REQUEST, "not_utf8")
    );
    for (method, path, allow) in [
        ("GET", "/requests", "POST"),
        ("POST", "/health", "GET,HEAD"),
        ("DELETE", "/streams/working-model", "GET,HEAD"),
    ] {
        let request = HttpRequest::builder()
            .method(method)
            .uri(path)
            .body(Body::empty())
            .unwrap();
        let (status, allowed, error) = refused(&app, request).await;
        assert_eq!(
            (status, allowed.as_deref(), error.kind.as_str()),
            (
                StatusCode::METHOD_NOT_ALLOWED,
                Some(allow),
                "method_not_allowed"
            ),
            "{method} {path}"
        );
    }
    for path in ["/nothing", "/streams/working-model/nothing", "/"] {
        let request = HttpRequest::get(path).body(Body::empty()).unwrap();
        let (status, _, error) = refused(&app, request).await;
        assert_eq!(
            (status, error.kind.as_str()),
            (StatusCode::NOT_FOUND, "not_found"),
            "{path}"
        );
    }
    // A stream's name that is not UTF-8 once decoded, or not a slug.
    for path in [
        "/streams/%FF",
        "/streams/%FF/record",
        "/streams/Not%20A%20Slug/report",
    ] {
        let request = HttpRequest::get(path).body(Body::empty()).unwrap();
        let (status, _, error) = refused(&app, request).await;
        assert_eq!(
            (status, error.kind.as_str()),
            (StatusCode::BAD_REQUEST, "bad_query"),
            "{path}"
        );
    }
    assert_eq!(engine.journal().read_all().unwrap().len(), before);
}

#[tokio::test]
async fn the_servers_clock_refuses_a_request_dated_far_from_now() {
    let engine = Arc::new(engine_on(MemoryJournal::new()));
    let app = router(engine, ServerConfig::default());
    let (status, body) = post(&app, Some(1), &open_round()).await;
    assert_eq!(
        (status, kind_of(&body).as_str()),
        (StatusCode::UNPROCESSABLE_ENTITY, "clock_skew")
    );
    let now = jiff::Timestamp::now().to_string();
    let (status, body) = post(
        &app,
        Some(1),
        &open_round().replace("2022-09-01T10:00:00Z", &now),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

/// The server's clock takes a request dated up to its tolerance behind it, or a few seconds
/// ahead (clocks differ a little), and refuses one dated further either way, saying which:
/// a request dated minutes ahead would be its stream's latest event until the clock caught
/// up, and every other member's request there, dated now, would be refused.
#[tokio::test]
async fn the_servers_clock_takes_a_request_dated_seconds_ahead_but_not_minutes() {
    let engine = Arc::new(engine_on(MemoryJournal::new()));
    let app = router(engine, ServerConfig::default());
    let at = |seconds: i64| {
        (jiff::Timestamp::now() + jiff::SignedDuration::from_secs(seconds)).to_string()
    };
    let advance = |now: String| {
        json!({"stream": "working-model", "actor": 13, "now": now,
               "command": {"process": "consent", "command": {"type": "advance"}}})
        .to_string()
    };
    let (status, body) = post(
        &app,
        Some(1),
        &open_round().replace("2022-09-01T10:00:00Z", &at(-240)),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    for (seconds, said) in [
        (
            -360,
            "behind the server's clock; at most 5m behind it is taken",
        ),
        (
            290,
            "ahead of the server's clock; at most 5s ahead of it is taken",
        ),
        (
            60,
            "ahead of the server's clock; at most 5s ahead of it is taken",
        ),
    ] {
        let (status, body) = post(&app, Some(13), &advance(at(seconds))).await;
        assert_eq!(
            (status, kind_of(&body).as_str()),
            (StatusCode::UNPROCESSABLE_ENTITY, "clock_skew"),
            "{seconds}"
        );
        assert!(body.contains(said), "{seconds}: {body}");
    }
    // Nothing dated ahead stands in the stream: a request dated now is taken, then one
    // dated a second or two ahead.
    for seconds in [0, 2] {
        let (status, body) = post(&app, Some(13), &advance(at(seconds))).await;
        assert_eq!(status, StatusCode::OK, "{seconds}: {body}");
    }
}

#[tokio::test]
async fn a_process_its_record_report_and_what_is_due_can_be_read() {
    let (app, engine) = app();
    round_in_objections(&app).await;

    let (status, body) = get(&app, "/streams").await;
    assert_eq!(
        (status, body.as_str()),
        (StatusCode::OK, "[\"working-model\"]")
    );
    let (status, body) = get(&app, "/streams/working-model").await;
    assert_eq!(status, StatusCode::OK);
    let view: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(view["process"], "consent");
    assert_eq!(view["phase"], "objection_round");
    let history = engine
        .journal()
        .read_stream(&"working-model".parse().unwrap())
        .unwrap();
    assert_eq!(view["version"], history.last().unwrap().seq);
    assert_eq!(
        engine.phase::<ConsentProcess>(&"working-model".parse().unwrap()),
        Some(coproduction::RoundPhase::ObjectionRound)
    );

    let now = "now=2022-09-01T11:00:00Z";
    let (status, body) = get(&app, &format!("/streams/working-model/record?{now}")).await;
    assert_eq!(status, StatusCode::OK);
    let record: coproduction::values::DecisionRecord = serde_json::from_str(&body).unwrap();
    assert_eq!(record.participants.map(|p| p.len()), Some(3));
    let (status, body) = get(
        &app,
        &format!("/streams/working-model/record?{now}&format=markdown"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        body.starts_with("## Decision record: Pilot associate roles\n"),
        "{body}"
    );
    let (status, body) = get(
        &app,
        &format!("/streams/working-model/record?{now}&format=html"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(body.starts_with("<!DOCTYPE html>") && body.contains("<h2 id=\"in-short\">"));
    // The decision's path is drawn where Graphviz is installed, as the tool draws it.
    let graphviz = coproduction::report::svg_from_dot("digraph { a -> b; }").is_some();
    assert_eq!(body.contains("<svg"), graphviz, "drawn only with Graphviz");
    let (status, body) = get(
        &app,
        &format!("/streams/working-model/record?{now}&format=document"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let document: coproduction::report::DecisionDocument = serde_json::from_str(&body).unwrap();
    assert_eq!(document.history, history);
    let (status, body) = get(
        &app,
        &format!("/streams/working-model/record?{now}&format=pdf"),
    )
    .await;
    assert_eq!(
        (status, kind_of(&body).as_str()),
        (StatusCode::BAD_REQUEST, "bad_query")
    );
    let (status, body) = get(&app, "/streams/working-model/record?now=yesterday").await;
    assert_eq!(
        (status, kind_of(&body).as_str()),
        (StatusCode::BAD_REQUEST, "bad_query")
    );
    let (status, body) = get(
        &app,
        &format!("/streams/working-model/record?{now}&colour=red"),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    let (status, body) = get(&app, &format!("/streams/working-model/report?{now}")).await;
    assert_eq!(status, StatusCode::OK);
    let report: coproduction::values::ValueReport = serde_json::from_str(&body).unwrap();
    assert!(!report.findings().is_empty());

    for path in [
        "/streams/nobody",
        "/streams/nobody/record",
        "/streams/nobody/report",
    ] {
        let (status, body) = get(&app, path).await;
        assert_eq!(
            (status, kind_of(&body).as_str()),
            (StatusCode::NOT_FOUND, "unknown_stream"),
            "{path}"
        );
    }
    let (status, body) = get(&app, "/streams/Not%20A%20Slug").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    // Read as of a time before the stream's (or the journal's) last event, a record,
    // report or list of what is due would state what had not happened yet: refused.
    let early = [
        "/streams/working-model/record?now=2022-09-01T09:00:00Z",
        "/streams/working-model/record?now=2022-09-01T09:00:00Z&format=document",
        "/streams/working-model/report?now=2022-09-01T09:00:00Z",
        "/due?now=2022-09-01T09:00:00Z",
    ];
    bad_requests(&app, &early, "read_before_last_event").await;

    // Who still has to respond.
    let (status, body) = get(&app, &format!("/due?{now}")).await;
    assert_eq!(status, StatusCode::OK);
    let due: Value = serde_json::from_str(&body).unwrap();
    assert!(
        due.as_array()
            .unwrap()
            .iter()
            .any(|d| d["item"]["type"] == "responses_awaited"),
        "{body}"
    );
    let (status, body) = get(&app, "/metrics").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert!(serde_json::from_str::<Value>(&body).unwrap()["totals"].is_object());
    let (status, body) = get(&app, "/health").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["position"],
        engine
            .journal()
            .read_all()
            .unwrap()
            .last()
            .unwrap()
            .position
    );
}

/// `GET /streams/community` shows the community's own stream, where its changes are
/// journalled: no process, whether a change is still to take effect, and its version, the
/// number of its events in the feed. Its record and report are refused as `not_a_process`.
#[tokio::test]
async fn the_communitys_own_stream_shows_its_version_and_whether_a_change_is_to_come() {
    let (app, _engine) = app();
    round_in_objections(&app).await;
    let view = |body: &str| serde_json::from_str::<Value>(body).unwrap();
    let on_community = |page: &FeedPage| {
        page.events
            .iter()
            .filter(|e| e.stream.as_str() == "community")
            .count()
    };
    let (status, body) = get(&app, "/streams/community").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(
        view(&body),
        json!({"stream": "community", "phase": "in_force", "version": 1})
    );
    let typed: StreamView = serde_json::from_str(&body).unwrap();
    assert_eq!(typed.process, None);
    // A member's own change, in force from its time; then one dated to come (the server
    // takes requests' times at their word).
    // Member 1 takes back the lived experience declared at the founding, then declares it
    // again: each a change.
    let declares = |now: &str, declared: bool| {
        json!({"stream": "community", "actor": 1, "now": now,
               "command": {"process": "change",
                           "change": {"type": "lived_experience", "member": 1, "declared": declared}}})
        .to_string()
    };
    for (now, declared, phase, version) in [
        ("2022-09-01T10:05:00Z", false, "in_force", 2),
        ("2999-01-01T00:00:00Z", true, "scheduled", 3),
    ] {
        let (status, body) = post(&app, Some(1), &declares(now, declared)).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, body) = get(&app, "/streams/community").await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(
            view(&body),
            json!({"stream": "community", "phase": phase, "version": version})
        );
        assert_eq!(on_community(&feed(&app, "after=0").await), version);
    }
    // A process's stream still shows its process.
    let (_, body) = get(&app, "/streams/working-model").await;
    let typed: StreamView = serde_json::from_str(&body).unwrap();
    assert_eq!(typed.process, Some(ProcessKind::Consent));
    for path in ["/streams/community/record", "/streams/community/report"] {
        let request = HttpRequest::get(path).body(Body::empty()).unwrap();
        let (status, _, error) = refused(&app, request).await;
        assert_eq!(
            (status, error.kind.as_str()),
            (StatusCode::NOT_FOUND, "not_a_process"),
            "{path}"
        );
        assert!(error.message.contains("GET /events"), "{}", error.message);
    }
}

async fn feed(app: &Router, query: &str) -> FeedPage {
    let (status, body) = get(app, &format!("/events?{query}")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    serde_json::from_str(&body).unwrap()
}

#[tokio::test]
async fn the_feed_gives_every_event_once_in_order_from_any_cursor_and_waits_for_the_next() {
    let (app, engine) = app();
    round_in_objections(&app).await;
    let all = engine.journal().read_all().unwrap();
    let page = feed(&app, "after=0").await;
    assert_eq!(page.events, all);
    assert_eq!(page.next, all.last().unwrap().position);
    for cursor in 0..=all.len() as u64 {
        let page = feed(&app, &format!("after={cursor}&limit=2")).await;
        let expected: Vec<_> = all
            .iter()
            .filter(|e| e.position > cursor)
            .take(2)
            .cloned()
            .collect();
        assert_eq!(page.events, expected, "after {cursor}");
    }
    // A query the feed cannot read, or a limit of none, is a typed `bad_query` in JSON.
    for query in [
        "after=-1",
        "wait=1e9",
        "limit=99999999999999999999999",
        "limit=0",
        "after=x",
    ] {
        let (status, body) = get(&app, &format!("/events?{query}")).await;
        assert_eq!(
            (status, kind_of(&body).as_str()),
            (StatusCode::BAD_REQUEST, "bad_query"),
            "{query}: {body}"
        );
    }
    let end = page.next;
    let empty = feed(&app, &format!("after={end}")).await;
    assert!(empty.events.is_empty());
    assert_eq!(empty.next, end);

    // A long-poll waits for the next event, and gets it when it is written.
    let waiting = {
        let app = app.clone();
        tokio::spawn(async move { feed(&app, &format!("after={end}&wait=10")).await })
    };
    tokio::time::sleep(Duration::from_millis(100)).await;
    consents(&app, 13, 10).await;
    let page = waiting.await.unwrap();
    assert_eq!(page.events.len(), 1);
    assert_eq!(page.events[0].position, end + 1);
}

/// A cursor past the journal's last position, as `after` or as `Last-Event-ID`, is refused by
/// the feed and by server-sent events, naming the last position: a client that went on from
/// it would never see the envelopes written up to it.
#[tokio::test]
async fn a_feed_cursor_past_the_journals_last_position_is_refused_naming_it() {
    let (app, engine) = app();
    round_in_objections(&app).await;
    let last = engine
        .journal()
        .read_all()
        .unwrap()
        .last()
        .unwrap()
        .position;
    for past in [last + 1, last + 43, u64::MAX] {
        for (request, name) in [
            (HttpRequest::get(format!("/events?after={past}")), "`after`"),
            (
                HttpRequest::get(format!("/events?after={past}&wait=5&limit=1")),
                "`after`",
            ),
            (
                HttpRequest::get(format!("/events/sse?after={past}")),
                "`after`",
            ),
            (
                HttpRequest::get("/events/sse?after=0").header("last-event-id", past.to_string()),
                "`Last-Event-ID`",
            ),
        ] {
            let (status, _, error) = refused(&app, request.body(Body::empty()).unwrap()).await;
            assert_eq!(
                (status, error.kind.as_str()),
                (StatusCode::BAD_REQUEST, "bad_query"),
                "{past}"
            );
            let said = format!("{name} is {past}, past the journal's last position, {last}");
            assert!(error.message.contains(&said), "{}", error.message);
        }
    }
    // The last position is a cursor: nothing after it yet, and `next` stays there.
    let page = feed(&app, &format!("after={last}")).await;
    assert_eq!((page.events.len(), page.next), (0, last));
    // Once the journal has it, a position is a cursor too.
    consents(&app, 13, 10).await;
    let page = feed(&app, &format!("after={}", last + 1)).await;
    assert_eq!((page.events.len(), page.next), (0, last + 1));
    let resumed = sse(&app, "/events/sse", Some(last), 1).await;
    assert_eq!(resumed[0].0, last + 1);
}

/// A `Last-Event-ID` that names no position (not a whole number, negative, or given twice)
/// is refused as an unreadable `after` is, quoting a short prefix of it: read as `0`, it
/// would send the client every envelope again as new.
#[tokio::test]
async fn an_unreadable_last_event_id_is_refused_not_read_as_the_start() {
    let (app, _engine) = app();
    round_in_objections(&app).await;
    let long = "9".repeat(500) + "x";
    for (ids, said) in [
        (vec!["abc"], "`Last-Event-ID` `abc` is not"),
        (vec!["-5"], "`Last-Event-ID` `-5` is not"),
        (vec![long.as_str()], "is not an envelope's position"),
        (vec!["1", "2"], "given more than once"),
    ] {
        let mut request = HttpRequest::get("/events/sse");
        for id in &ids {
            request = request.header("last-event-id", *id);
        }
        let (status, _, error) = refused(&app, request.body(Body::empty()).unwrap()).await;
        assert_eq!(
            (status, error.kind.as_str()),
            (StatusCode::BAD_REQUEST, "bad_query"),
            "{ids:?}"
        );
        assert!(error.message.contains(said), "{}", error.message);
        assert!(error.message.len() < 300, "{}", error.message);
    }
}

/// A request is taken only as JSON that says so: a form or plain text, which a page on
/// another site can post without asking, or JSON said to be in a character set other than
/// UTF-8, is refused (`415`, `not_json`) and writes nothing.
/// An endpoint refuses a query parameter it does not take rather than ignoring it.
#[tokio::test]
async fn a_request_not_sent_as_json_and_a_query_not_taken_are_refused() {
    let (app, engine) = app();
    let before = engine.journal().read_all().unwrap().len();
    for content_type in [
        None,
        Some("text/plain"),
        Some("application/x-www-form-urlencoded"),
        Some("application/jsonp"),
        // JSON is UTF-8: a body said to be in another character set is not read as it.
        Some("application/json; charset=latin1"),
        Some("application/json; charset=\"utf-16\""),
    ] {
        let mut request = HttpRequest::post("/requests").header("x-coproduction-member", "1");
        if let Some(value) = content_type {
            request = request.header("content-type", value);
        }
        let (status, body) = send(&app, request.body(Body::from(open_round())).unwrap()).await;
        assert_eq!(
            (status, kind_of(&body).as_str()),
            (StatusCode::UNSUPPORTED_MEDIA_TYPE, "not_json"),
            "{content_type:?}"
        );
    }
    assert_eq!(engine.journal().read_all().unwrap().len(), before);
    // Two `Content-Type` headers say nothing for sure.
    let twice = HttpRequest::post("/requests")
        .header("content-type", "application/json")
        .header("content-type", "text/plain")
        .header("x-coproduction-member", "1")
        .body(Body::from(open_round()))
        .unwrap();
    let (status, body) = send(&app, twice).await;
    assert_eq!(
        (status, kind_of(&body).as_str()),
        (StatusCode::UNSUPPORTED_MEDIA_TYPE, "not_json")
    );
    assert_eq!(engine.journal().read_all().unwrap().len(), before);
    // JSON with its charset named is JSON, `utf8` as `utf-8`.
    let request = HttpRequest::post("/requests")
        .header("content-type", "Application/JSON; charset=utf8")
        .header("x-coproduction-member", "1")
        .body(Body::from(open_round()))
        .unwrap();
    let (status, body) = send(&app, request).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let not_taken = [
        "/health?verbose=1",
        "/streams?all=true",
        "/streams/working-model?now=2022-09-01T10:00:00Z",
        "/metrics?format=csv",
    ];
    bad_requests(&app, &not_taken, "bad_query").await;
    for path in ["/health", "/streams", "/streams/working-model", "/metrics"] {
        let (status, body) = get(&app, path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
    }
}

/// The `(id, data)` of each server-sent event in `text`.
fn sse_events(text: &str) -> Vec<(u64, Value)> {
    text.split("\n\n")
        .filter_map(|block| {
            let id = block.lines().find_map(|l| l.strip_prefix("id: "))?;
            let data = block.lines().find_map(|l| l.strip_prefix("data: "))?;
            Some((id.parse().unwrap(), serde_json::from_str(data).unwrap()))
        })
        .collect()
}

/// The first `n` events of the server-sent feed at `path`, with `last_event_id` if given.
async fn sse(app: &Router, path: &str, last_event_id: Option<u64>, n: usize) -> Vec<(u64, Value)> {
    use futures_util::StreamExt;
    let mut request = HttpRequest::get(path);
    if let Some(id) = last_event_id {
        request = request.header("last-event-id", id.to_string());
    }
    let response = app
        .clone()
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let mut body = response.into_body().into_data_stream();
    let mut text = String::new();
    tokio::time::timeout(Duration::from_secs(10), async {
        while sse_events(&text).len() < n {
            let chunk = body.next().await.unwrap().unwrap();
            text.push_str(std::str::from_utf8(&chunk).unwrap());
        }
    })
    .await
    .unwrap();
    sse_events(&text)
}

#[tokio::test]
async fn server_sent_events_resume_from_the_last_id_across_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("journal.jsonl");
    let first_run = {
        let (journal, _) = FileJournal::open(&path).unwrap();
        let engine = Arc::new(engine_on(journal));
        let app = router(Arc::clone(&engine), config());
        round_in_objections(&app).await;
        let events = sse(&app, "/events/sse?after=0", None, 5).await;
        let positions: Vec<u64> = events.iter().map(|(id, _)| *id).collect();
        assert_eq!(positions, [1, 2, 3, 4, 5]);
        assert!(events.iter().all(|(id, e)| e["position"] == *id));
        events
    };
    // The server stops; the journal stays. A new server on it, and a client that saw up to
    // position 3 resumes there: 4 and 5 again from the journal, then what is written next.
    let (journal, _) = FileJournal::open(&path).unwrap();
    let engine = Arc::new(Engine::from_journal(journal).unwrap());
    let app = router(engine, config());
    consents(&app, 13, 10).await;
    let resumed = sse(&app, "/events/sse", Some(3), 3).await;
    let positions: Vec<u64> = resumed.iter().map(|(id, _)| *id).collect();
    assert_eq!(positions, [4, 5, 6]);
    assert_eq!(
        resumed[0].1, first_run[3].1,
        "the same envelope, exactly once each"
    );
}

#[test]
#[cfg(unix)]
fn the_tool_serves_a_journal_and_stops_on_sigterm_keeping_what_it_acknowledged() {
    use serve_support::{http, start};
    let dir = tempfile::tempdir().unwrap();
    let journal = dir.path().join("journal.jsonl");
    let data = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data");
    let mut server = start(&[
        "--journal",
        journal.to_str().unwrap(),
        "--community",
        &format!("{data}/community.json"),
        "--governance",
        &format!("{data}/governance.json"),
    ]);
    let (status, body) = http(&server.addr, "GET", "/health", None, "");
    assert_eq!(status, 200, "{body}");
    let (status, body) = http(&server.addr, "POST", "/requests", Some(1), &open_round());
    assert_eq!(status, 200, "{body}");

    // Asked to stop, it finishes and exits cleanly; what it acknowledged is in the journal.
    let stopped = std::process::Command::new("kill")
        .args(["-TERM", &server.child.id().to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    assert!(server.child.wait().unwrap().success());
    let (reopened, _) = FileJournal::<EngineEvent>::open(&journal).unwrap();
    let streams: Vec<String> = reopened
        .read_all()
        .unwrap()
        .iter()
        .map(|e| e.stream.to_string())
        .collect();
    assert!(streams.contains(&"working-model".to_owned()), "{streams:?}");
}

/// What is due, asked as of a time before the community's last change, is refused as any
/// read before the journal's last event is, even when no process has begun: the community
/// it would be judged by had not changed yet.
#[tokio::test]
async fn what_is_due_before_the_communitys_last_change_is_refused() {
    let (app, _engine) = app();
    let declared = r#"{"stream": "community", "actor": 21, "now": "2022-08-20T13:00:00Z",
        "command": {"process": "change", "change": {"type": "lived_experience", "member": 21, "declared": true}}}"#;
    let (status, body) = post(&app, Some(21), declared).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    bad_requests(
        &app,
        &["/due?now=2022-08-20T12:59:00Z"],
        "read_before_last_event",
    )
    .await;
    let (status, body) = get(&app, "/due?now=2022-08-20T13:00:00Z").await;
    assert_eq!((status, body.as_str()), (StatusCode::OK, "[]"));
}
