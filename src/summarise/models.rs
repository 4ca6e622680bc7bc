//! The Workers AI models a summary may use: each one's context window and list
//! price, from Cloudflare's model pages and pricing page (November 2026). The
//! default is chosen from this table (see `DEFAULT_MODEL`), and a meeting's
//! input budget is cut to what the chosen model's window can take.

use super::Prices;

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ModelFacts {
    pub name: &'static str,
    /// Tokens of prompt and answer together.
    pub context_window: usize,
    pub prices: Prices,
    /// Accepts `response_format: {type: "json_schema"}` (JSON mode).
    pub json_schema: bool,
    /// Mixture of experts, reasoning, size: what the table shows beside the price.
    pub note: &'static str,
}

const fn model(
    name: &'static str,
    context_window: usize,
    (input, output): (f64, f64),
    note: &'static str,
) -> ModelFacts {
    ModelFacts {
        name,
        context_window,
        prices: Prices { input_per_million: input, output_per_million: output },
        json_schema: true,
        note,
    }
}

/// Candidates that take a JSON schema, cheapest first.
pub const WORKERS_AI_MODELS: &[ModelFacts] = &[
    // Its page gives no window: the 32,000 here is an assumption, kept low.
    model("@cf/meta/llama-3.1-8b-instruct-fp8-fast", 32_000, (0.045, 0.384), "8B dense, window assumed"),
    model("@cf/qwen/qwen3-30b-a3b-fp8", 32_768, (0.051, 0.335), "30B mixture of experts, 3B active"),
    model("@cf/openai/gpt-oss-20b", 128_000, (0.200, 0.300), "21B mixture of experts, reasoning"),
    model("@cf/meta/llama-3.3-70b-instruct-fp8-fast", 24_000, (0.293, 2.253), "70B dense"),
];

/// The default for supported councils. Its window takes the whole 24,000-token
/// meeting budget with room for the answer (the 70B's 24,000 does not); it
/// costs about what the 8B does per meeting (a tenth of a US cent at the
/// fixtures' sizes) and a third of gpt-oss-20b; and a larger model copies
/// figures, dates and names more faithfully, so the claim checks drop fewer
/// of its sentences.
pub const DEFAULT_MODEL: &str = "@cf/qwen/qwen3-30b-a3b-fp8";

pub fn facts(name: &str) -> Option<&'static ModelFacts> {
    WORKERS_AI_MODELS.iter().find(|m| m.name == name)
}

/// Share of the window left to the estimated prompt: token estimates are
/// rough (four characters a token), so a margin keeps a real count inside.
const ESTIMATE_MARGIN: f64 = 0.85;

/// The meeting input budget a model's window can take beside an answer of
/// `max_output` tokens: the requested budget, or less.
pub fn fitting_budget(requested: usize, context_window: usize, max_output: u32) -> usize {
    let room = context_window.saturating_sub(max_output as usize) as f64 * ESTIMATE_MARGIN;
    requested.min(room as usize)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_is_in_the_table_and_takes_the_whole_budget() {
        let default = facts(DEFAULT_MODEL).expect("the default model is one of the table");
        assert!(default.json_schema);
        assert_eq!(default.prices, crate::summarise::DEFAULT_PRICES);
        assert_eq!(fitting_budget(24_000, default.context_window, 2_000), 24_000);
    }

    #[test]
    fn a_budget_never_exceeds_the_models_window() {
        let llama70 = facts("@cf/meta/llama-3.3-70b-instruct-fp8-fast").unwrap();
        let budget = fitting_budget(24_000, llama70.context_window, 2_000);
        assert!(budget + 600 + 2_000 < llama70.context_window, "{budget}");
        assert_eq!(budget, 18_700);
        assert_eq!(fitting_budget(1_000, 128_000, 2_000), 1_000, "a small budget stays as asked");
        assert_eq!(fitting_budget(24_000, 1_000, 2_000), 0);
    }
}
