//! Telling people and programs what changed: webhook events and their
//! signatures (integrators), and email alerts (residents): who follows what,
//! signed links, the emails themselves and each provider's request. Pure;
//! sending is `jobs::webhooks` and `jobs::alerts`.

pub mod alerts;
pub mod compose;
pub mod email;
pub mod webhooks;
