//! Telling integrators what changed: webhook events, their payloads and
//! signatures (Standard Webhooks), and which endpoints may receive them.
//! Pure; sending is `jobs::webhooks`.

pub mod webhooks;
