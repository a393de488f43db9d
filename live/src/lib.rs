//! ttx-live: the live exercise server. Human teams, bots and a control cell play one exercise
//! in the browser; the engine is stepped live ([`ttx_sim::live::LiveRun`]), every action is
//! committed to an SQLite journal before anyone hears it succeeded, and the trace is a pure
//! function of (scenario, seed, journal).
//!
//! [`serve`] runs an exercise; the caller (the `ttx` binary) resolves the scenario and passes
//! the writers of the end-of-exercise files, so this crate does not depend on it.

pub mod board;
pub mod clock;
pub mod exercise;
pub mod feed;
pub mod forms;
pub mod journal;
pub mod pages;
pub mod roles;
pub mod server;
pub mod state;
pub mod stream;
pub mod summary;
pub mod view;

pub use state::{Outputs, Shared, Start};

use anyhow::{Context, Result};
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

/// A server bound to its address, its exercise open; [`Running::serve`] answers until the
/// process ends.
pub struct Running {
    pub shared: Arc<Shared>,
    pub addr: SocketAddr,
    listener: tokio::net::TcpListener,
}

impl Running {
    /// Opens (or resumes) the exercise in `dir` and binds `bind`.
    pub async fn open(
        dir: &Path,
        start: Start,
        outputs: Outputs,
        bind: SocketAddr,
    ) -> Result<Running> {
        let shared = Shared::open(dir, start, outputs)?;
        let listener = tokio::net::TcpListener::bind(bind).await.with_context(|| {
            format!(
                "cannot listen on {bind}: is another server using it? choose another with --bind"
            )
        })?;
        let addr = listener.local_addr()?;
        Ok(Running {
            shared,
            addr,
            listener,
        })
    }

    /// Base URL for the join links.
    pub fn base(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub async fn serve(self) -> Result<()> {
        tokio::spawn(self.shared.clone().keep_time());
        axum::serve(self.listener, server::router(self.shared))
            .await
            .context("the exercise server stopped")
    }
}

/// Opens the exercise, calls `announce` with each role's join link (role label, URL), and
/// serves until the process ends.
pub fn serve_blocking(
    dir: &Path,
    start: Start,
    outputs: Outputs,
    bind: SocketAddr,
    announce: impl FnOnce(&[(String, String)]),
) -> Result<()> {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's runtime")?;
    rt.block_on(async move {
        let running = Running::open(dir, start, outputs, bind).await?;
        let base = running.base();
        let links: Vec<(String, String)> = running
            .shared
            .links(&base)
            .into_iter()
            .map(|(r, u)| (r.label(), u))
            .collect();
        announce(&links);
        use std::io::Write;
        let _ = std::io::stdout().flush();
        running.serve().await
    })
}
