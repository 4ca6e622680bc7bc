//! The `#[event]` doors of the two workers built from this crate. Each door
//! only wires the runtime to the modules that do the work; a wasm build holds
//! one door (the cargo feature `site` or `ingest`), and the linker keeps only
//! the code that door reaches, so the site worker carries no PDF reader,
//! scraper or summariser.

#[cfg(all(target_arch = "wasm32", feature = "site", feature = "ingest"))]
compile_error!("a wasm build is one worker: build with --features site or --features ingest, not both");

#[cfg(feature = "ingest")]
pub mod ingest;
#[cfg(feature = "site")]
pub mod site;

#[cfg(all(target_arch = "wasm32", not(feature = "site"), not(feature = "ingest")))]
compile_error!("a wasm build is one worker: build with --features site or --features ingest");
