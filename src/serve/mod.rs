//! The engine over HTTP (feature `server`): requests in, records, reports, what is due,
//! metrics and an event feed out, for apps in any language.
//!
//! [`router`] builds an [`axum::Router`] over an [`Engine`]; `coproduction serve` runs it on
//! a file, SQLite or PostgreSQL journal. Every body is the [wire format](crate::wire)'s JSON.
//!
//! | method and path | what it does |
//! |---|---|
//! | `POST /requests` | hands a [`Request`] to the engine; `200` with the envelopes written |
//! | `GET /streams` | the processes' streams, in order |
//! | `GET /streams/{stream}` | a process's kind, phase and version ([`StreamView`]); on `community`, the community's own stream, no process, the phase `scheduled` or `in_force`, and its version |
//! | `GET /streams/{stream}/record?now=T&format=json\|markdown\|html\|document` | its decision record (the whole [`DecisionDocument`] with `document`; the HTML page draws the decision's path where Graphviz is installed) |
//! | `GET /streams/{stream}/report?now=T` | its value report |
//! | `GET /due?now=T` | what is due ([`Engine::due`]) |
//! | `GET /metrics` | the metrics from the journal |
//! | `GET /events?after=P&wait=S&limit=N` | the envelopes after position `P`, at most `N` (at least 1; 1,000, the default, is the most a page holds, and a larger `N` reads as 1,000), waiting up to `S` seconds (long-poll) for one; `next` is the position to ask from next |
//! | `GET /events/sse?after=P` | the same as server-sent events, one per envelope, its `id` the position (`Last-Event-ID` resumes) |
//! | `GET /health` | `{"status": "ok", "position": P}`, the journal's last position |
//!
//! The feed's cursor is a position the journal has: `0`, or one at most its last. A cursor
//! past the last (`after`, or `Last-Event-ID`) is refused (`400`, `bad_query`, the message
//! naming the last position) rather than answered with nothing: a client that went on from
//! it would never see the envelopes written up to it. So is a cursor that cannot be read (not
//! a whole number, or `Last-Event-ID` given twice), rather than read as `0`: the client
//! would take every envelope again as new. A client whose cursor is refused (the journal
//! was replaced, say) asks again from `0` or from the last position.
//!
//! # Who acts, and when
//!
//! The library takes a request's `actor` at its word; a server must not. By default
//! ([`ActorSource::Header`]) the acting member comes from a header the app's own
//! authentication sets in front of the server (`x-coproduction-member` unless configured),
//! and a request whose `actor` differs is refused (`403`, `actor_mismatch`); without the
//! header, or with it twice, `401` (`no_actor`). Deploy it behind an authenticating proxy that sets the header
//! from the signed-in member and strips any header of that name a client sent. Only a
//! server on a trusted network, for tests or a single-user tool, takes the body's word
//! ([`ActorSource::Body`]).
//!
//! Likewise the time: by default ([`Clock::Server`]) a request dated more than the
//! tolerance (five minutes) behind the server's clock, or more than [`CLOCK_AHEAD`] (five
//! seconds) ahead of it, is refused (`422`, `clock_skew`, the message saying which way it
//! is off), so nobody backdates a decision through the server, and nobody dates one ahead:
//! a request dated ahead would be its stream's latest event until the clock caught up, so
//! that every other member's request there, dated now, would be refused as dated before
//! it. Importing history needs [`Clock::Request`].
//!
//! # Errors on the wire
//!
//! Every refusal keeps its typed error, whichever part of the server makes it: an HTTP
//! status and a JSON body `{"error": {"kind": "...", "message": "..."}}`, the kind one of
//! [`EngineError::kind`]'s names or the server's own:
//!
//! | kind | status | when |
//! |---|---|---|
//! | `no_actor` | `401` | no header names the acting member, or more than one |
//! | `actor_mismatch` | `403` | the request acts as another member than the header names |
//! | `clock_skew` | `422` | the request is dated more than the tolerance behind the server's clock, or more than [`CLOCK_AHEAD`] ahead of it |
//! | `bad_query` | `400` | a query string or a path that cannot be read (a stream's name that is not a slug; a query parameter the endpoint does not take, on every endpoint), or a feed's cursor past the journal's last position |
//! | `read_before_last_event` | `400` | a record, report or `/due` asked as of a time (`now`) before the last event of the stream (of the journal, for `/due`): read then, it would state what had not happened yet |
//! | `unknown_stream` | `404` | no process runs on the stream |
//! | `not_a_process` | `404` | a record or a report of `community`, the community's own stream, where no process runs (its changes are in the event feed) |
//! | `too_large` | `413` | a request's body is longer than [`REQUEST_LINE_BYTES`](crate::limits::REQUEST_LINE_BYTES) (1 MiB) |
//! | `not_utf8` | `400` | a request's body is not UTF-8 |
//! | `not_json` | `415` | a request's body is not sent as `application/json` (a form or plain text, which a page on another site can post without asking), or names a `charset` other than `utf-8`, or has two `Content-Type` headers |
//! | `not_found` | `404` | there is no endpoint at the path |
//! | `method_not_allowed` | `405` | the endpoint does not take the method (the `Allow` header lists those it takes) |
//!
//! A refusal every process makes alike also
//! names the process and the refusal ([`RefusalKind::name`](crate::machine::RefusalKind::name)):
//! `"refusal": {"process": "consent", "kind": "wrong_phase"}`, so a client handles "not
//! in this phase" once for every process. `400` for malformed input, `401` and `403`
//! for who acts, `404` for an unknown stream or path, `405` for a method an endpoint does
//! not take, `409` for a race another writer won, `413` for a body too long, `422` for a
//! request the community's rules refuse, `500` when the engine could not do its work
//! (nothing was written by that request).
//!
//! # Shutting down
//!
//! A request is acknowledged only once the journal has written it; `coproduction serve`
//! stops on Ctrl-C or `SIGTERM` by finishing every request it has begun
//! ([`axum::serve()`]'s graceful shutdown), so nothing acknowledged is lost.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, FromRequest, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderName, Method, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::community::MemberId;
use crate::engine::{Engine, EngineError, EngineEvent, Request};
use crate::journal::{Envelope, Journal, JournalError, StreamId};
use crate::process::ProcessKind;
use crate::report::{DecisionDocument, DecisionRecordMarkdown};

/// Where the server takes the acting member from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ActorSource {
    /// From this header, set by the app's authentication in front of the server; a request
    /// whose `actor` differs is refused.
    Header(HeaderName),
    /// From the request's own `actor`, unchecked: only for a server nobody untrusted can
    /// reach.
    Body,
}

/// Which clock dates a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The server's: a request whose `now` lies further than `tolerance` behind it, or
    /// further than [`CLOCK_AHEAD`] ahead of it, is refused.
    Server {
        /// How far a request's time may lie behind the server's clock (and ahead of it, up
        /// to [`CLOCK_AHEAD`]).
        tolerance: SignedDuration,
    },
    /// The request's own, unchecked: for importing history recorded elsewhere.
    Request,
}

/// How far ahead of the server's clock a request may be dated ([`Clock::Server`]): five
/// seconds, for clocks that differ a little. A request dated further ahead would be its
/// stream's latest event until the clock caught up: every other member's request there,
/// dated now, would be refused as dated before it, and a change to the community dated
/// ahead would let a later request be dated before it.
pub const CLOCK_AHEAD: SignedDuration = SignedDuration::from_secs(5);

/// How a server runs: who acts, which clock, how long a long-poll may wait.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerConfig {
    /// Where the acting member comes from.
    pub actor: ActorSource,
    /// Which clock dates requests.
    pub clock: Clock,
    /// The longest a long-poll on the event feed waits for an event.
    pub max_wait: Duration,
    /// How often the feed looks in the journal for new events.
    pub poll: Duration,
    /// Whether other servers write the same journal (a database): then the engine catches
    /// up with what they wrote ([`Engine::catch_up`]) before each request and each query.
    pub shared_journal: bool,
}

/// The header the acting member comes in by default.
pub const ACTOR_HEADER: &str = "x-coproduction-member";

impl Default for ServerConfig {
    /// The acting member from [`ACTOR_HEADER`], the server's clock with five minutes'
    /// tolerance behind it (and [`CLOCK_AHEAD`] ahead of it), long-polls of at most 30 seconds, the journal looked at every 100 ms, and
    /// no other writer of the journal.
    fn default() -> Self {
        Self {
            actor: ActorSource::Header(HeaderName::from_static(ACTOR_HEADER)),
            clock: Clock::Server {
                tolerance: SignedDuration::from_mins(5),
            },
            max_wait: Duration::from_secs(30),
            poll: Duration::from_millis(100),
            shared_journal: false,
        }
    }
}

/// What the handlers share: the engine and how the server runs.
struct App<J> {
    engine: Arc<Engine<J>>,
    config: ServerConfig,
}

/// A journal the handlers can serve from: the engine's events, shared across threads.
trait Served: Journal<Event = EngineEvent> + Send + Sync + 'static {}

impl<J: Journal<Event = EngineEvent> + Send + Sync + 'static> Served for J {}

/// The router of the HTTP API over `engine`, run as `config` says (see the module guide for
/// the endpoints). Serve it with [`axum::serve()`].
///
/// # Example
///
/// ```
/// use std::sync::Arc;
/// use coproduction::serve::{router, ServerConfig};
/// use coproduction::{Community, Engine, MemoryJournal};
///
/// let engine = Arc::new(Engine::builder(Community::new()).open(MemoryJournal::new())?);
/// let app = router(engine, ServerConfig::default());
/// # let _ = app;
/// # Ok::<(), coproduction::Error>(())
/// ```
pub fn router<J>(engine: Arc<Engine<J>>, config: ServerConfig) -> Router
where
    J: Journal<Event = EngineEvent> + Send + Sync + 'static,
{
    let app = Arc::new(App { engine, config });
    Router::new()
        .route("/health", get(health::<J>))
        .route("/requests", post(post_request::<J>))
        .route("/streams", get(streams::<J>))
        .route("/streams/{stream}", get(stream_state::<J>))
        .route("/streams/{stream}/record", get(record::<J>))
        .route("/streams/{stream}/report", get(report::<J>))
        .route("/due", get(due::<J>))
        .route("/metrics", get(metrics::<J>))
        .route("/events", get(events::<J>))
        .route("/events/sse", get(events_sse::<J>))
        // After every route: it answers for the routes there are.
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
        // A request line's own limit: the body is the request.
        .layer(DefaultBodyLimit::max(crate::limits::REQUEST_LINE_BYTES))
        .with_state(app)
}

/// A refusal or failure as the wire carries it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    /// What went wrong.
    pub error: ErrorDetail,
}

/// The kind of a refusal and its message.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ErrorDetail {
    /// A stable name: one of [`EngineError::kind`]'s, or the server's own.
    pub kind: String,
    /// What was wrong, quoting input only in short.
    pub message: String,
    /// Present when a process refused in the vocabulary every process shares: which
    /// process, and which refusal.
    pub refusal: Option<SharedRefusal>,
}

/// A refusal every process makes alike, by its stable names: `{"process": "consent",
/// "kind": "wrong_phase"}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SharedRefusal {
    /// The kind of process that refused.
    pub process: ProcessKind,
    /// The refusal's name ([`RefusalKind::name`](crate::machine::RefusalKind::name)).
    pub kind: String,
}

/// A query string read as `T`, refused as `400`, `bad_query`, in the JSON error body every
/// other refusal has (axum's own extractor answers in plain text).
struct Query<T>(T);

impl<T: serde::de::DeserializeOwned, S: Send + Sync> FromRequestParts<S> for Query<T> {
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Query(query)| Query(query))
            .map_err(|e| bad_query(e.body_text()))
    }
}

/// The stream a path names, refused as `400`, `bad_query`, when it cannot be read (not
/// UTF-8 once decoded) or is not a stream's name.
struct StreamPath(StreamId);

impl<S: Send + Sync> FromRequestParts<S> for StreamPath {
    type Rejection = Rejection;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Rejection> {
        let axum::extract::Path(stream) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|e| bad_query(e.body_text()))?;
        StreamId::new(&stream)
            .map(StreamPath)
            .map_err(|e| bad_query(e.to_string()))
    }
}

/// A request's body as text, refused in the JSON error body: `413`, `too_large`, over
/// [`REQUEST_LINE_BYTES`](crate::limits::REQUEST_LINE_BYTES); `400`, `not_utf8`, when it
/// is not UTF-8 (axum's own extractor answers both in plain text).
struct Text(String);

impl<S: Send + Sync> FromRequest<S> for Text {
    type Rejection = Rejection;

    async fn from_request(request: axum::extract::Request, state: &S) -> Result<Self, Rejection> {
        let bytes = Bytes::from_request(request, state).await.map_err(|e| {
            if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
                Rejection::new(
                    e.status(),
                    "too_large",
                    format!(
                        "the request's body is longer than {} bytes, the most a request may be",
                        crate::limits::REQUEST_LINE_BYTES
                    ),
                )
            } else {
                Rejection::new(e.status(), "input", e.body_text())
            }
        })?;
        String::from_utf8(bytes.into()).map(Text).map_err(|e| {
            Rejection::new(
                StatusCode::BAD_REQUEST,
                "not_utf8",
                format!(
                    "the request's body is not UTF-8: byte {} starts no valid character",
                    e.utf8_error().valid_up_to()
                ),
            )
        })
    }
}

/// A query or a path that cannot be read: `400`, `bad_query`.
fn bad_query(message: String) -> Rejection {
    Rejection::new(StatusCode::BAD_REQUEST, "bad_query", message)
}

/// A path the API has no endpoint at: `404`, `not_found`.
async fn not_found(uri: Uri) -> Rejection {
    Rejection::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!("there is no endpoint at `{}`", uri.path()),
    )
}

/// A method an endpoint does not take: `405`, `method_not_allowed` (axum adds the `Allow`
/// header with the methods it takes).
async fn method_not_allowed(method: Method, uri: Uri) -> Rejection {
    Rejection::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!(
            "`{}` does not take `{method}`: the `Allow` header lists the methods it takes",
            uri.path()
        ),
    )
}

/// An error response: a status, the error's kind and message, and the refusal in the
/// shared vocabulary if it is one.
struct Rejection(StatusCode, &'static str, String, Option<SharedRefusal>);

impl Rejection {
    fn new(status: StatusCode, kind: &'static str, message: String) -> Self {
        Rejection(status, kind, message, None)
    }
}

impl IntoResponse for Rejection {
    fn into_response(self) -> Response {
        let Rejection(status, kind, message, refusal) = self;
        let body = ErrorBody {
            error: ErrorDetail {
                kind: kind.to_owned(),
                message: crate::limits::shorten_quotes(&message).into_owned(),
                refusal,
            },
        };
        (status, axum::Json(body)).into_response()
    }
}

impl From<EngineError> for Rejection {
    fn from(e: EngineError) -> Self {
        let status = match &e {
            _ if !e.is_refusal() => StatusCode::INTERNAL_SERVER_ERROR,
            EngineError::Json { .. } | EngineError::Input(_) => StatusCode::BAD_REQUEST,
            EngineError::UnknownActor { .. } => StatusCode::FORBIDDEN,
            EngineError::UnknownStream { .. } => StatusCode::NOT_FOUND,
            EngineError::ReadBeforeLastEvent { .. } => StatusCode::BAD_REQUEST,
            EngineError::Journal(_) => StatusCode::CONFLICT,
            _ => StatusCode::UNPROCESSABLE_ENTITY,
        };
        let refusal = e.refusal().map(|refusal| SharedRefusal {
            process: refusal.process,
            kind: refusal.kind.name().to_owned(),
        });
        Rejection(status, e.kind(), e.to_string(), refusal)
    }
}

impl From<JournalError> for Rejection {
    fn from(e: JournalError) -> Self {
        Rejection::from(EngineError::Journal(e))
    }
}

/// Runs `work` on a thread that may block (the engine writes its journal synchronously).
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, Rejection> + Send + 'static,
) -> Result<T, Rejection> {
    tokio::task::spawn_blocking(work).await.unwrap_or_else(|e| {
        Err(Rejection::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "failed",
            format!("the request's worker stopped: {e}"),
        ))
    })
}

/// Runs `work` on the engine, caught up with other writers of a shared journal, on a
/// thread that may block, and answers what it returns as JSON.
async fn caught_up_json<J: Served, T: Serialize + Send + 'static>(
    app: Arc<App<J>>,
    work: impl FnOnce(&Engine<J>) -> Result<T, Rejection> + Send + 'static,
) -> Result<Response, Rejection> {
    let answer = blocking(move || {
        caught_up(&app)?;
        work(&app.engine)
    })
    .await?;
    Ok(axum::Json(answer).into_response())
}

/// The time a query asks about: `now` if given (RFC 3339), the server's clock otherwise.
fn query_time(now: Option<&str>) -> Result<Timestamp, Rejection> {
    match now {
        None => Ok(Timestamp::now()),
        Some(text) => text
            .parse()
            .map_err(|e| bad_query(format!("`now` is not an RFC 3339 time: {e}"))),
    }
}

async fn health<J: Served>(
    State(app): State<Arc<App<J>>>,
    Query(NoQuery {}): Query<NoQuery>,
) -> Result<Response, Rejection> {
    let position = blocking(move || last_position(app.engine.journal())).await?;
    Ok(axum::Json(serde_json::json!({"status": "ok", "position": position})).into_response())
}

/// The acting member the server vouches for: from the configured header, or the body's.
fn vouched_actor(
    config: &ServerConfig,
    headers: &HeaderMap,
    claimed: MemberId,
) -> Result<(), Rejection> {
    let ActorSource::Header(name) = &config.actor else {
        return Ok(());
    };
    let mut values = headers.get_all(name).iter();
    let (Some(value), None) = (values.next(), values.next()) else {
        let message = if headers.contains_key(name) {
            format!("the request carries more than one `{name}` header: one member acts")
        } else {
            format!("the request carries no `{name}` header naming the acting member")
        };
        return Err(Rejection::new(
            StatusCode::UNAUTHORIZED,
            "no_actor",
            message,
        ));
    };
    let vouched: Option<u64> = value.to_str().ok().and_then(|v| v.trim().parse().ok());
    match vouched {
        Some(member) if member == claimed.get() => Ok(()),
        Some(member) => Err(Rejection::new(
            StatusCode::FORBIDDEN,
            "actor_mismatch",
            format!(
                "the request acts as {claimed}, but the `{name}` header names {}",
                MemberId::new(member)
            ),
        )),
        None => Err(Rejection::new(
            StatusCode::UNAUTHORIZED,
            "no_actor",
            format!("the `{name}` header does not name a member by number"),
        )),
    }
}

/// Whether the request's time is within the server clock's tolerance: at most `tolerance`
/// behind it, at most [`CLOCK_AHEAD`] (or `tolerance`, if less) ahead of it.
fn in_time(config: &ServerConfig, now: Timestamp) -> Result<(), Rejection> {
    let Clock::Server { tolerance } = config.clock else {
        return Ok(());
    };
    let clock = Timestamp::now();
    let ahead = now.duration_since(clock);
    let behind = clock.duration_since(now);
    let most_ahead = CLOCK_AHEAD.min(tolerance);
    let (off, way, most) = if ahead > most_ahead {
        (ahead, "ahead of", most_ahead)
    } else if behind > tolerance {
        (behind, "behind", tolerance)
    } else {
        return Ok(());
    };
    // Whole seconds: the message says how far off, not to the nanosecond.
    let off = SignedDuration::from_secs(off.as_secs());
    Err(Rejection::new(
        StatusCode::UNPROCESSABLE_ENTITY,
        "clock_skew",
        format!(
            "the request is dated {now}, {off:#} {way} the server's clock; at most {most:#} {way} it is taken"
        ),
    ))
}

async fn post_request<J: Served>(
    State(app): State<Arc<App<J>>>,
    headers: HeaderMap,
    Query(NoQuery {}): Query<NoQuery>,
    Text(body): Text,
) -> Result<Response, Rejection> {
    // A request is JSON, and says so: a form or plain text, which a page on another site
    // can post without asking, is not taken as one. JSON is UTF-8: a body said to be in
    // another character set is refused, not read as if it were UTF-8.
    // One `Content-Type`: with two, which one the body is in is anyone's guess.
    let mut types = headers.get_all(header::CONTENT_TYPE).iter();
    let content_type = match (types.next(), types.next()) {
        (Some(one), None) => one.to_str().unwrap_or_default(),
        _ => "",
    };
    let mut parts = content_type.split(';');
    let json = parts
        .next()
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
    let utf8 = parts.all(|param| match param.split_once('=') {
        Some((name, value)) if name.trim().eq_ignore_ascii_case("charset") => {
            let value = value.trim().trim_matches('"');
            value.eq_ignore_ascii_case("utf-8") || value.eq_ignore_ascii_case("utf8")
        }
        _ => true,
    });
    if !json || !utf8 {
        return Err(Rejection::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "not_json",
            "a request is sent as `application/json` (its `Content-Type`), in UTF-8 (a `charset`, if given, is `utf-8`)".to_owned(),
        ));
    }
    // Read as the engine reads a JSON request: its length, then strictly.
    crate::limits::check_line(&body).map_err(|e| Rejection::from(EngineError::Input(e)))?;
    let request: Request = crate::limits::from_json(&body).map_err(|e| {
        Rejection::from(match e {
            crate::limits::InputError::Json { message } => EngineError::Json { message },
            other => EngineError::Input(other),
        })
    })?;
    vouched_actor(&app.config, &headers, request.actor)?;
    in_time(&app.config, request.now)?;
    let written = blocking(move || {
        caught_up(&app)?;
        app.engine.handle(request).map_err(Rejection::from)
    })
    .await?;
    Ok(axum::Json(serde_json::json!({ "events": written })).into_response())
}

async fn streams<J: Served>(
    State(app): State<Arc<App<J>>>,
    Query(NoQuery {}): Query<NoQuery>,
) -> Result<Response, Rejection> {
    caught_up_json(app, |engine| Ok(engine.streams())).await
}

/// A stream as `GET /streams/{stream}` shows it: a process's, or the community's own.
#[serde_with::skip_serializing_none]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StreamView {
    /// The stream.
    pub stream: StreamId,
    /// The process's kind (`consent`, `proposal`, `funding`...); absent on the community's
    /// own stream ([`living::stream`](crate::living::stream), `community`), where no process
    /// runs.
    pub process: Option<crate::engine::ProcessKind>,
    /// The process's phase. On the community's own stream, as of the server's clock:
    /// `scheduled` while a change adopted there takes effect later, `in_force` when every
    /// change has taken effect.
    pub phase: String,
    /// The stream's last sequence number: the `expected` of its next append.
    pub version: u64,
}

async fn stream_state<J: Served>(
    State(app): State<Arc<App<J>>>,
    StreamPath(stream): StreamPath,
    Query(NoQuery {}): Query<NoQuery>,
) -> Result<Response, Rejection> {
    caught_up_json(app, move |engine| {
        let (process, phase) = if stream == crate::living::stream() {
            // No process: whether a change adopted there is still to take effect.
            let history = engine.history().ok_or(EngineError::Poisoned)?;
            let now = Timestamp::now();
            let scheduled = history.versions().any(|v| v.from() > now);
            (None, if scheduled { "scheduled" } else { "in_force" })
        } else {
            let state = engine.state(&stream).ok_or_else(|| unknown(&stream))?;
            (Some(state.kind()), state.phase_label())
        };
        Ok(StreamView {
            process,
            phase: phase.to_owned(),
            version: engine.journal().version(&stream)?,
            stream,
        })
    })
    .await
}

/// No process runs on `stream`: `404`, `unknown_stream`, or `not_a_process` for the
/// community's own stream, which has no record or report.
fn unknown(stream: &StreamId) -> Rejection {
    if *stream == crate::living::stream() {
        return Rejection::new(
            StatusCode::NOT_FOUND,
            "not_a_process",
            format!(
                "`{stream}` is the community's own stream, where changes to its members, bodies, governance and charter are journalled: no process runs on it, so it has no decision record or report; read its events in the feed (`GET /events`)"
            ),
        );
    }
    Rejection::new(
        StatusCode::NOT_FOUND,
        "unknown_stream",
        format!("no process runs on stream `{stream}`"),
    )
}

/// The query of a record: when, and in which form.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RecordQuery {
    now: Option<String>,
    format: Option<String>,
}

async fn record<J: Served>(
    State(app): State<Arc<App<J>>>,
    StreamPath(stream): StreamPath,
    Query(query): Query<RecordQuery>,
) -> Result<Response, Rejection> {
    let now = query_time(query.now.as_deref())?;
    let format = query.format.unwrap_or_else(|| "json".to_owned());
    blocking(move || {
        caught_up(&app)?;
        let engine = &app.engine;
        engine.readable_at(Some(&stream), now)?;
        if format == "document" {
            let document = engine
                .export(&stream, now)
                .map_err(Rejection::from)?
                .ok_or_else(|| unknown(&stream))?;
            return Ok(axum::Json::<DecisionDocument>(document).into_response());
        }
        let record = engine
            .record(&stream, now)
            .ok_or_else(|| unknown(&stream))?;
        if format == "json" {
            return Ok(axum::Json(record).into_response());
        }
        let report = engine
            .report(&stream, now)
            .ok_or_else(|| unknown(&stream))?;
        let review = engine.review(&stream, now);
        let names = engine.community();
        let markdown = DecisionRecordMarkdown::new(&record, &report)
            .with_names(&names)
            .or_titled(stream.as_str())
            .with_review(review.as_ref())
            .routed_by(engine.routing_map(&stream));
        match format.as_str() {
            "markdown" => Ok((
                [(header::CONTENT_TYPE, "text/markdown; charset=utf-8")],
                markdown.to_string(),
            )
                .into_response()),
            "html" => Ok((
                [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
                markdown.html().drawn(),
            )
                .into_response()),
            other => Err(bad_query(format!(
                "no record format `{other}`: json, markdown, html or document"
            ))),
        }
    })
    .await
}

/// The query of an endpoint that takes none: a parameter given is refused, not ignored.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NoQuery {}

/// A query that names only a time.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AtQuery {
    now: Option<String>,
}

async fn report<J: Served>(
    State(app): State<Arc<App<J>>>,
    StreamPath(stream): StreamPath,
    Query(query): Query<AtQuery>,
) -> Result<Response, Rejection> {
    let now = query_time(query.now.as_deref())?;
    caught_up_json(app, move |engine| {
        engine.readable_at(Some(&stream), now)?;
        engine.report(&stream, now).ok_or_else(|| unknown(&stream))
    })
    .await
}

async fn due<J: Served>(
    State(app): State<Arc<App<J>>>,
    Query(query): Query<AtQuery>,
) -> Result<Response, Rejection> {
    let now = query_time(query.now.as_deref())?;
    caught_up_json(app, move |engine| {
        engine.readable_at(None, now)?;
        Ok(engine.due(now))
    })
    .await
}

async fn metrics<J: Served>(
    State(app): State<Arc<App<J>>>,
    Query(NoQuery {}): Query<NoQuery>,
) -> Result<Response, Rejection> {
    caught_up_json(app, |engine| engine.metrics(None).map_err(Rejection::from)).await
}

/// The query of the event feed: after which position, how long to wait, how many at most.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct FeedQuery {
    after: Option<u64>,
    wait: Option<u64>,
    limit: Option<usize>,
}

/// The most envelopes one read of the feed returns. A read costs what it returns
/// ([`Journal::read_page`]), however long the journal: asking from position 0 of a long
/// journal reads one page of it, not the rest.
pub const FEED_LIMIT: usize = 1000;

/// A page of the event feed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeedPage {
    /// The envelopes after the cursor, in position order.
    pub events: Vec<Envelope<EngineEvent>>,
    /// The cursor to ask from next: the last position returned, or the one asked from.
    pub next: u64,
}

/// How many envelopes one read of the feed returns at most: the `limit` asked, at least 1
/// (a feed that returned none would never move on), and at most [`FEED_LIMIT`].
fn feed_limit(asked: Option<usize>) -> Result<usize, Rejection> {
    match asked {
        None => Ok(FEED_LIMIT),
        Some(0) => Err(bad_query("`limit` is at least 1".to_owned())),
        Some(n) => Ok(n.min(FEED_LIMIT)),
    }
}

/// The envelopes after position `after`, at most `limit`, read from the journal (so a feed
/// sees what every writer of a shared journal wrote).
fn read_page<J: Journal<Event = EngineEvent>>(
    journal: &J,
    after: u64,
    limit: usize,
) -> Result<Vec<Envelope<EngineEvent>>, Rejection> {
    journal.read_page(after, limit).map_err(Rejection::from)
}

/// The journal's last position: 0 while it is empty.
fn last_position<J: Journal<Event = EngineEvent>>(journal: &J) -> Result<u64, Rejection> {
    journal
        .read_all_with(|all| all.last().map_or(0, |e| e.position))
        .map_err(Rejection::from)
}

/// The feed's cursor `after`, given as `name`, checked against the journal: a position past
/// its last is refused (`400`, `bad_query`, naming the last), since a client that went on
/// from there would never see the envelopes written up to it.
async fn cursor<J: Served>(
    engine: Arc<Engine<J>>,
    after: u64,
    name: &'static str,
) -> Result<u64, Rejection> {
    blocking(move || {
        let journal = engine.journal();
        // The envelope at the cursor is there: one read of one envelope.
        if after == 0 || !read_page(journal, after - 1, 1)?.is_empty() {
            return Ok(after);
        }
        let last = last_position(journal)?;
        // Written since the look above: the cursor is good.
        if after <= last {
            return Ok(after);
        }
        Err(bad_query(format!(
            "{name} is {after}, past the journal's last position, {last}: a feed goes on from a position it was given, or from 0"
        )))
    })
    .await
}

/// Folds in what other writers of a shared journal wrote, where the server has any.
fn caught_up<J: Journal<Event = EngineEvent>>(app: &App<J>) -> Result<(), Rejection> {
    if app.config.shared_journal {
        app.engine.catch_up().map_err(Rejection::from)?;
    }
    Ok(())
}

async fn events<J: Served>(
    State(app): State<Arc<App<J>>>,
    Query(query): Query<FeedQuery>,
) -> Result<Response, Rejection> {
    let limit = feed_limit(query.limit)?;
    let after = cursor(Arc::clone(&app.engine), query.after.unwrap_or(0), "`after`").await?;
    let wait = Duration::from_secs(query.wait.unwrap_or(0)).min(app.config.max_wait);
    let deadline = tokio::time::Instant::now() + wait;
    loop {
        let engine = Arc::clone(&app.engine);
        let events = blocking(move || read_page(engine.journal(), after, limit)).await?;
        if !events.is_empty() || tokio::time::Instant::now() >= deadline {
            let next = events.last().map_or(after, |e| e.position);
            return Ok(axum::Json(FeedPage { events, next }).into_response());
        }
        tokio::time::sleep(app.config.poll).await;
    }
}

async fn events_sse<J: Served>(
    State(app): State<Arc<App<J>>>,
    headers: HeaderMap,
    Query(query): Query<FeedQuery>,
) -> Result<Response, Rejection> {
    // A reconnecting client says where it stopped; otherwise the query does. A cursor it
    // cannot be read from is refused, as an unreadable `after` is: read from the start
    // instead, the client would take every envelope again as new.
    let resumed = match headers.get_all("last-event-id").iter().collect::<Vec<_>>()[..] {
        [] => None,
        [value] => Some(
            value
                .to_str()
                .ok()
                .and_then(|v| v.trim().parse::<u64>().ok())
                .ok_or_else(|| {
                    let given = String::from_utf8_lossy(value.as_bytes());
                    let shown = crate::limits::quote(&given);
                    bad_query(format!(
                        "`Last-Event-ID` `{shown}` is not an envelope's position (a whole number)"
                    ))
                })?,
        ),
        _ => {
            return Err(bad_query(
                "`Last-Event-ID` is given more than once".to_owned(),
            ));
        }
    };
    let (after, name) = match (resumed, query.after) {
        (Some(resumed), _) => (resumed, "`Last-Event-ID`"),
        (None, after) => (after.unwrap_or(0), "`after`"),
    };
    let after = cursor(Arc::clone(&app.engine), after, name).await?;
    let stream = futures_util::stream::unfold(
        (app, after, Vec::<Envelope<EngineEvent>>::new().into_iter()),
        |(app, mut after, mut pending)| async move {
            loop {
                if let Some(envelope) = pending.next() {
                    after = envelope.position;
                    let event = Event::default()
                        .id(envelope.position.to_string())
                        .event("envelope")
                        .json_data(&envelope)
                        .map_err(|e| EngineError::Json {
                            message: e.to_string(),
                        });
                    return Some((event, (app, after, pending)));
                }
                let engine = Arc::clone(&app.engine);
                match blocking(move || read_page(engine.journal(), after, FEED_LIMIT)).await {
                    Ok(events) if !events.is_empty() => pending = events.into_iter(),
                    Ok(_) => tokio::time::sleep(app.config.poll).await,
                    // The journal could not be read: end the stream; the client resumes.
                    Err(_) => return None,
                }
            }
        },
    );
    Ok(Sse::new(stream)
        .keep_alive(KeepAlive::default())
        .into_response())
}
