//! The site worker: pages, JSON API, feeds and search, read-only on D1 and R2.

use worker::{event, Context, Env, Request, Response, Result};

#[event(start)]
fn start() {
    console_error_panic_hook::set_once();
}

#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    crate::web::handle(req, env).await
}
