//! Hostile JSON through the HTTP API (feature `server`), as a property: the working-model
//! round's lines are posted up to one, then that line damaged at random (see
//! `wire_damage`), as the member the undamaged line names. The server answers 200 with the
//! events, or a client error (4xx) whose body is the typed error in the wire format, short;
//! never a server error. A refused line writes nothing, and the undamaged one is then taken
//! as it would have been.
//!
//! `COPRODUCTION_PROPTEST_CASES` sets the number of damaged lines (128 by default).
#![cfg(feature = "server")]

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::http::{Request as HttpRequest, StatusCode};
use coproduction::engine::{Engine, EngineEvent};
use coproduction::journal::{Journal, MemoryJournal};
use coproduction::serve::{Clock, ErrorBody, ServerConfig, router};
use proptest::prelude::*;
use serde_json::Value;
use tower::ServiceExt;

mod engine_support;
mod wire_damage;

use wire_damage::*;

/// A server over the seed community and map that takes requests' times at their word.
fn app() -> (Router, Arc<Engine<MemoryJournal<EngineEvent>>>) {
    let engine = Arc::new(engine_support::engine());
    let config = ServerConfig {
        clock: Clock::Request,
        poll: Duration::from_millis(20),
        ..ServerConfig::default()
    };
    (router(Arc::clone(&engine), config), engine)
}

/// POSTs `body` to `/requests` as member `actor`; the status and the body as text.
async fn post(app: &Router, actor: u64, body: &str) -> (StatusCode, String) {
    let request = HttpRequest::post("/requests")
        .header("content-type", "application/json")
        .header("x-coproduction-member", actor.to_string())
        .body(Body::from(body.to_owned()))
        .unwrap();
    let response = app.clone().oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 24)
        .await
        .unwrap();
    (status, String::from_utf8_lossy(&bytes).into_owned())
}

fn actor_of(line: &str) -> u64 {
    serde_json::from_str::<Value>(line).unwrap()["actor"]
        .as_u64()
        .unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(128), ..ProptestConfig::default() })]

    #[test]
    fn the_server_takes_or_refuses_a_damaged_line_with_a_typed_client_error(damaged in damaged_line()) {
        let DamagedLine { lines, n, line } = damaged;
        let actor = actor_of(&lines[n]);
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        runtime.block_on(async {
            let (app, engine) = app();
            for earlier in &lines[..n] {
                let (status, body) = post(&app, actor_of(earlier), earlier).await;
                prop_assert_eq!(status, StatusCode::OK, "{}", body);
            }
            let before = engine.journal().read_all().unwrap();
            let (status, body) = post(&app, actor, &line).await;
            if status != StatusCode::OK {
                prop_assert!(status.is_client_error(), "{}: {}", status, body);
                let error: Result<ErrorBody, _> = serde_json::from_str(&body);
                prop_assert!(error.is_ok(), "not a typed error: {}", body);
                said_in_short(&body, 2000)?;
                prop_assert_eq!(engine.journal().read_all().unwrap(), before);
                // Nothing changed: the undamaged line is taken.
                let (status, body) = post(&app, actor, &lines[n]).await;
                prop_assert_eq!(status, StatusCode::OK, "{}", body);
            }
            Ok(())
        })?;
    }
}
