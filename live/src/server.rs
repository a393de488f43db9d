//! The HTTP side: routes, who may call them, and the headers every answer carries.
//!
//! Each role lives under its own path (`/console`, `/evaluator`, `/team/<state>`); its session
//! cookie is scoped to that path, so a browser never sends a team's cookie with another team's
//! requests, and every route under a path checks that the cookie is that path's role's. Without
//! a valid cookie only the join page and the static assets answer.

use crate::exercise::{Ack, Refusal};
use crate::forms;
use crate::roles::Role;
use crate::state::Shared;
use crate::stream;
use axum::Router;
use axum::body::Body;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use maud::{Markup, html};
use serde::Deserialize;
use std::sync::Arc;

/// Name of the session cookie (one per role path).
pub const COOKIE: &str = "ttx_session";

/// Forbids every request to anywhere but this server, inline scripts and styles included.
pub const CSP: &str = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(join_help))
        .route("/join/{token}", get(join))
        .route("/static/app.js", get(app_js))
        .route("/static/style.css", get(style_css))
        .route("/console", get(console_page))
        .route("/console/events", get(console_events))
        .route("/console/clock", post(console_clock))
        .route("/console/release", post(console_release))
        .route("/console/inject", post(console_inject))
        .route("/console/move", post(console_move))
        .route("/console/end", post(console_end))
        .route("/console/files", post(console_files))
        .route("/evaluator", get(evaluator_page))
        .route("/evaluator/events", get(evaluator_events))
        .route("/evaluator/rate", post(evaluator_rate))
        .route("/evaluator/observe", post(evaluator_observe))
        .route("/team/{state}", get(team_page))
        .route("/team/{state}/events", get(team_events))
        .route("/team/{state}/move", post(team_move))
        .route("/team/{state}/note", post(team_note))
        .route("/team/{state}/download", get(team_download))
        .fallback(not_found)
        .layer(axum::middleware::map_response(security_headers))
        .with_state(shared)
}

async fn security_headers(mut r: Response) -> Response {
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    r
}

fn page(status: StatusCode, m: Markup) -> Response {
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        m.into_string(),
    )
        .into_response()
}

/// A refusal as JSON for the script, with the status that says why.
fn refusal(status: StatusCode, text: impl Into<String>) -> Response {
    (
        status,
        axum::Json(serde_json::json!({ "error": text.into() })),
    )
        .into_response()
}

fn answer(r: Result<Ack, Refusal>) -> Response {
    match r {
        Ok(ack) => axum::Json(ack).into_response(),
        Err(Refusal::Forbidden(s)) => refusal(StatusCode::FORBIDDEN, s),
        Err(Refusal::Invalid(s)) => refusal(StatusCode::UNPROCESSABLE_ENTITY, s),
        Err(Refusal::Halted(s)) => refusal(StatusCode::SERVICE_UNAVAILABLE, s),
    }
}

async fn not_found() -> Response {
    page(
        StatusCode::NOT_FOUND,
        crate::pages::plain(
            "Not found",
            html! { p { "There is nothing here. Open the link you were given for your role." } },
        ),
    )
}

async fn join_help() -> Response {
    page(
        StatusCode::OK,
        crate::pages::plain(
            "ttx live exercise",
            html! {
                p { "To take part, open the join link the facilitator gave you for your role (facilitator, your team, or evaluator)." }
                p.muted { "Each link is personal to its role: do not share a team's link with another team." }
            },
        ),
    )
}

async fn join(State(s): State<Arc<Shared>>, Path(token): Path<String>) -> Response {
    let Some(c) = s.roles.by_link(&token) else {
        return page(
            StatusCode::FORBIDDEN,
            crate::pages::plain(
                "This link is not valid",
                html! { p { "Check that you copied the whole link the facilitator gave you; ask for it again if it still fails." } },
            ),
        );
    };
    let home = c.role.home();
    let cookie = format!(
        "{COOKIE}={}; Path={home}; HttpOnly; SameSite=Strict",
        c.session.to_hex()
    );
    Response::builder()
        .status(StatusCode::SEE_OTHER)
        .header(header::LOCATION, home)
        .header(header::SET_COOKIE, cookie)
        .body(Body::empty())
        .expect("valid response")
}

/// The role of the request's session cookie, if it is `expected`'s; otherwise the refusal.
/// (The refusal is boxed: a response is large, and the happy path should not carry it.)
fn authorise(s: &Shared, headers: &HeaderMap, expected: &Role) -> Result<(), Box<Response>> {
    let mut any = false;
    for v in headers.get_all(header::COOKIE) {
        let Ok(text) = v.to_str() else { continue };
        for part in text.split(';') {
            let Some((name, value)) = part.trim().split_once('=') else {
                continue;
            };
            if name != COOKIE {
                continue;
            }
            any = true;
            if let Some(c) = s.roles.by_session(value)
                && &c.role == expected
            {
                return Ok(());
            }
        }
    }
    let (status, why) = if any {
        (
            StatusCode::FORBIDDEN,
            "Your session is not for this page: open the link of your own role.",
        )
    } else {
        (
            StatusCode::UNAUTHORIZED,
            "Open the join link you were given for your role first.",
        )
    };
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|a| a.to_str().ok())
        .is_some_and(|a| a.contains("json") || a.contains("event-stream"));
    Err(Box::new(if wants_json {
        refusal(status, why)
    } else {
        page(
            status,
            crate::pages::plain("Not allowed", html! { p { (why) } }),
        )
    }))
}

fn team_role(s: &Shared, state: &str) -> Result<Role, Box<Response>> {
    if s.human.iter().any(|h| h == state) {
        Ok(Role::Team(state.to_string()))
    } else {
        // Unknown and known-but-not-human states answer alike: nothing to learn from the answer.
        Err(Box::new(page(
            StatusCode::UNAUTHORIZED,
            crate::pages::plain(
                "Not allowed",
                html! { p { "Open the join link you were given for your role first." } },
            ),
        )))
    }
}

async fn app_js() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        include_str!("../assets/app.js"),
    )
        .into_response()
}

async fn style_css() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        include_str!("../assets/style.css"),
    )
        .into_response()
}

/// Where an event stream resumes: the browser's `Last-Event-ID` after a reconnection, else the
/// page's `?after=`.
#[derive(Deserialize)]
struct After {
    after: Option<u32>,
}

fn resume_from(headers: &HeaderMap, q: &After) -> u32 {
    headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok())
        .or(q.after)
        .unwrap_or(0)
}

/// Runs a blocking exercise operation (SQLite commits wait for the disk) off the async threads.
async fn blocking<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    tokio::task::spawn_blocking(f).await.expect("exercise task")
}

/// A role's page: refused unless the cookie is that role's, rendered from the board as it is.
fn role_page(
    s: &Shared,
    headers: &HeaderMap,
    role: &Role,
    render: impl FnOnce(&Shared, &crate::board::Board) -> Markup,
) -> Response {
    if let Err(r) = authorise(s, headers, role) {
        return *r;
    }
    let b = s.board.read().expect("board");
    page(StatusCode::OK, render(s, &b))
}

/// A role's event stream, from the last event its client saw.
fn role_events(
    s: Arc<Shared>,
    headers: &HeaderMap,
    q: &After,
    role: &Role,
    audience: stream::Audience,
) -> Response {
    if let Err(r) = authorise(&s, headers, role) {
        return *r;
    }
    let from = resume_from(headers, q);
    stream::sse(s, audience, from).into_response()
}

// ---- facilitator ---------------------------------------------------------------------------

async fn console_page(State(s): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    role_page(
        &s,
        &headers,
        &Role::Facilitator,
        crate::pages::console::render,
    )
}

async fn console_events(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Query<After>,
) -> Response {
    role_events(
        s,
        &headers,
        &q,
        &Role::Facilitator,
        stream::Audience::Facilitator,
    )
}

async fn console_clock(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Result<axum::Json<serde_json::Value>, axum::extract::rejection::JsonRejection>,
) -> Response {
    if let Err(r) = authorise(&s, &headers, &Role::Facilitator) {
        return *r;
    }
    let cmd = match body
        .map_err(|e| e.body_text())
        .and_then(|b| forms::clock(&b.0))
    {
        Ok(c) => c,
        Err(e) => return refusal(StatusCode::UNPROCESSABLE_ENTITY, e),
    };
    answer(blocking(move || s.command(cmd)).await)
}

async fn console_end(State(s): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if let Err(r) = authorise(&s, &headers, &Role::Facilitator) {
        return *r;
    }
    answer(blocking(move || s.end()).await)
}

async fn console_files(State(s): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    if let Err(r) = authorise(&s, &headers, &Role::Facilitator) {
        return *r;
    }
    answer(blocking(move || s.write_files_now()).await)
}

type Body0 = Result<axum::Json<serde_json::Value>, axum::extract::rejection::JsonRejection>;

/// Reads a form posted as JSON, turns it into an action for `role`, and takes it.
async fn act(
    s: Arc<Shared>,
    headers: HeaderMap,
    role: Role,
    body: Body0,
    build: fn(&Shared, &Role, &serde_json::Value) -> Result<ttx_scenario::live::Action, String>,
) -> Response {
    if let Err(r) = authorise(&s, &headers, &role) {
        return *r;
    }
    let value = match body {
        Ok(v) => v.0,
        Err(e) => return refusal(StatusCode::BAD_REQUEST, e.body_text()),
    };
    let action = match build(&s, &role, &value) {
        Ok(a) => a,
        Err(e) => return refusal(StatusCode::UNPROCESSABLE_ENTITY, e),
    };
    let client = value
        .get("client")
        .and_then(|c| c.as_str())
        .filter(|c| !c.is_empty() && c.len() <= 100)
        .map(str::to_string);
    answer(blocking(move || s.act(&role, &action, client.as_deref())).await)
}

async fn console_release(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Body0,
) -> Response {
    act(s, headers, Role::Facilitator, body, forms::release).await
}

async fn console_inject(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Body0) -> Response {
    act(s, headers, Role::Facilitator, body, forms::inject).await
}

async fn console_move(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Body0) -> Response {
    act(s, headers, Role::Facilitator, body, forms::movement).await
}

// ---- evaluator -----------------------------------------------------------------------------

async fn evaluator_page(State(s): State<Arc<Shared>>, headers: HeaderMap) -> Response {
    role_page(
        &s,
        &headers,
        &Role::Evaluator,
        crate::pages::evaluator::render,
    )
}

async fn evaluator_events(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    Query(q): Query<After>,
) -> Response {
    role_events(
        s,
        &headers,
        &q,
        &Role::Evaluator,
        stream::Audience::Evaluator,
    )
}

async fn evaluator_rate(State(s): State<Arc<Shared>>, headers: HeaderMap, body: Body0) -> Response {
    act(s, headers, Role::Evaluator, body, forms::rate).await
}

async fn evaluator_observe(
    State(s): State<Arc<Shared>>,
    headers: HeaderMap,
    body: Body0,
) -> Response {
    act(s, headers, Role::Evaluator, body, forms::observe).await
}

// ---- teams ---------------------------------------------------------------------------------

async fn team_page(
    State(s): State<Arc<Shared>>,
    Path(state): Path<String>,
    headers: HeaderMap,
) -> Response {
    let role = match team_role(&s, &state) {
        Ok(r) => r,
        Err(r) => return *r,
    };
    role_page(&s, &headers, &role, |s, b| {
        crate::pages::team::render(&s.scenario, b, &state)
    })
}

async fn team_events(
    State(s): State<Arc<Shared>>,
    Path(state): Path<String>,
    headers: HeaderMap,
    Query(q): Query<After>,
) -> Response {
    let role = match team_role(&s, &state) {
        Ok(r) => r,
        Err(r) => return *r,
    };
    role_events(s, &headers, &q, &role, stream::Audience::Team(state))
}

async fn team_move(
    State(s): State<Arc<Shared>>,
    Path(state): Path<String>,
    headers: HeaderMap,
    body: Body0,
) -> Response {
    match team_role(&s, &state) {
        Ok(role) => act(s, headers, role, body, forms::movement).await,
        Err(r) => *r,
    }
}

async fn team_note(
    State(s): State<Arc<Shared>>,
    Path(state): Path<String>,
    headers: HeaderMap,
    body: Body0,
) -> Response {
    match team_role(&s, &state) {
        Ok(role) => act(s, headers, role, body, forms::note).await,
        Err(r) => *r,
    }
}

/// What the team saw and did, as JSON Lines: only records the team may see, whole.
async fn team_download(
    State(s): State<Arc<Shared>>,
    Path(state): Path<String>,
    headers: HeaderMap,
) -> Response {
    let role = match team_role(&s, &state) {
        Ok(r) => r,
        Err(r) => return *r,
    };
    if let Err(r) = authorise(&s, &headers, &role) {
        return *r;
    }
    let b = s.board.read().expect("board");
    let mut out = String::new();
    for r in crate::view::team_records(&s.scenario, &b.feed, &state) {
        out.push_str(&serde_json::to_string(&r).expect("record serialises"));
        out.push('\n');
    }
    (
        [
            (
                header::CONTENT_TYPE,
                "application/x-ndjson; charset=utf-8".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{state}-log.jsonl\""),
            ),
        ],
        out,
    )
        .into_response()
}
