//! What every job is given (the store, settings, queues, the document
//! bucket, the environment), and what jobs share: the time as stored, and a
//! fetcher for a council's site.

use worker::Queue;

use crate::config::Settings;
use crate::net::{FetchPolicy, WorkerFetcher};
use crate::storage::{CouncilRow, Store};
use crate::time::{now_utc, stamp};

pub struct JobContext<'a> {
    pub store: &'a Store,
    pub settings: &'a Settings,
    pub queue: &'a Queue,
    /// Document downloads and extraction steps, one message per invocation.
    pub documents: &'a Queue,
    /// Holds a document's bytes while its pages are read in several steps.
    pub bucket: &'a worker::Bucket,
    /// For the model binding and secrets.
    pub env: &'a worker::Env,
}

pub fn now() -> String {
    stamp(now_utc())
}

pub(super) fn fetcher(ctx: &JobContext<'_>, council: &CouncilRow) -> WorkerFetcher {
    fetcher_with_cap(ctx, council, ctx.settings.max_page_bytes)
}

/// A fetcher for one council's site: every request and every redirect hop
/// only to the council's own host or those it declares, each paced by its
/// host's gate.
pub fn fetcher_with_cap(ctx: &JobContext<'_>, council: &CouncilRow, max_bytes: usize) -> WorkerFetcher {
    let settings = ctx.settings;
    let gate = ctx.env.durable_object("HOST_GATE").ok().map(crate::net::gate::GateClient::new);
    WorkerFetcher::new(
        FetchPolicy {
            timeout_ms: settings.request_timeout_ms,
            max_bytes,
            min_interval_ms: settings.min_request_interval_ms,
        },
        gate,
    )
    .only_hosts(crate::net::hosts::HostPolicy::for_council(&council.base_url, &council.document_hosts))
}

/// A fetcher for a council's webcast platform: its portal's host and its
/// captions' host only, each paced by its host's gate as a council's site is.
pub fn webcast_fetcher(ctx: &JobContext<'_>, council: &CouncilRow, max_bytes: usize) -> Option<WorkerFetcher> {
    let site = council.webcast_site.as_deref()?;
    let captions = crate::sources::publici::captions_url(council.webcast_captions.as_deref(), site, "1")?;
    let mut declared = crate::net::host_of(&captions);
    if let Some(media) = council.webcast_media.as_deref() {
        declared.push(' ');
        declared.push_str(&crate::net::host_of(&media.replace("{activity}", "1")));
    }
    let settings = ctx.settings;
    let gate = ctx.env.durable_object("HOST_GATE").ok().map(crate::net::gate::GateClient::new);
    let fetcher = WorkerFetcher::new(
        FetchPolicy {
            timeout_ms: settings.request_timeout_ms,
            max_bytes,
            min_interval_ms: settings.min_request_interval_ms,
        },
        gate,
    )
    .only_hosts(crate::net::hosts::HostPolicy::for_council(site, &declared));
    Some(fetcher)
}
