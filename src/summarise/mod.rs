//! Meeting summaries and weekly digests: what goes in (`input`), the model's
//! answer checked against a schema (`schema`) and its quotes against the
//! sources (`quotes`), the no-model summariser (`extractive`), the providers
//! behind one trait (`providers`) and the weekly digest (`digest`).

pub mod claims;
pub mod digest;
pub mod extractive;
pub mod input;
pub mod models;
pub mod providers;
pub mod published;
pub mod quotes;
pub mod schema;
pub mod sentences;

use serde::{Deserialize, Serialize};

/// Which summariser the configuration asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProviderKind {
    WorkersAi,
    OpenAiCompatible,
    Extractive,
}

impl ProviderKind {
    pub fn parse(text: &str) -> Self {
        match text.trim() {
            "workers_ai" | "workers-ai" => Self::WorkersAi,
            "openai" | "openai_compatible" | "chat_completions" => Self::OpenAiCompatible,
            _ => Self::Extractive,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::WorkersAi => "workers_ai",
            Self::OpenAiCompatible => "openai_compatible",
            Self::Extractive => "extractive",
        }
    }
}

/// Model prices in US dollars per million tokens, for cost estimates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Prices {
    pub input_per_million: f64,
    pub output_per_million: f64,
}

impl Prices {
    pub fn cost(&self, input_tokens: usize, output_tokens: usize) -> f64 {
        (input_tokens as f64 * self.input_per_million + output_tokens as f64 * self.output_per_million) / 1e6
    }
}

/// The default model and its list price (see `models`).
pub const DEFAULT_MODEL: &str = models::DEFAULT_MODEL;
pub const DEFAULT_PRICES: Prices = Prices { input_per_million: 0.051, output_per_million: 0.335 };
