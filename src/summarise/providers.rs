//! Chat models behind one small trait: Workers AI through its binding, and any
//! OpenAI-compatible chat-completions endpoint (OpenAI, Workers AI's REST API,
//! a local llama.cpp or Ollama server). The extractive summariser needs none.

use serde::{Deserialize, Serialize};
use serde_json::json;

/// A chat completion is a few kilobytes; an answer larger than this is not read.
const MAX_ANSWER_BYTES: usize = 4 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct ChatRequest {
    pub system: String,
    pub user: String,
    pub max_output_tokens: u32,
    /// The answer's JSON schema, for providers that hold the model to one;
    /// `None` asks for any JSON object.
    pub schema: Option<serde_json::Value>,
}

/// Why a model call gave no answer to check.
#[derive(Debug, Clone, PartialEq)]
pub enum ModelError {
    /// Not reached, timed out, or answered with a server error: try again later.
    Unreachable(String),
    /// The provider says the model could not produce an answer that meets the
    /// schema: treated like a malformed answer.
    SchemaNotMet(String),
}

impl std::fmt::Display for ModelError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Unreachable(why) => write!(f, "{why}"),
            Self::SchemaNotMet(why) => write!(f, "the provider could not meet the schema: {why}"),
        }
    }
}

/// A provider's refusal to meet the schema, told from its error text
/// (Workers AI: "JSON Mode couldn't be met"; OpenAI-compatible servers: a 400
/// or 422 naming the schema or the response format).
pub fn is_schema_failure(status: Option<u16>, message: &str) -> bool {
    let lower = message.to_lowercase();
    let names_schema = lower.contains("json mode") || lower.contains("schema") || lower.contains("response_format");
    let refused = lower.contains("couldn't be met")
        || lower.contains("could not be met")
        || lower.contains("cannot be met")
        || matches!(status, Some(400 | 422));
    names_schema && refused
}

/// The `response_format` of a request: a JSON schema when there is one.
fn response_format(request: &ChatRequest, openai_style: bool) -> serde_json::Value {
    match (&request.schema, openai_style) {
        (Some(schema), true) => json!({
            "type": "json_schema",
            "json_schema": {"name": "meeting_summary", "strict": true, "schema": schema},
        }),
        // Workers AI takes the schema itself under `json_schema`.
        (Some(schema), false) => json!({"type": "json_schema", "json_schema": schema}),
        (None, _) => json!({"type": "json_object"}),
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChatAnswer {
    pub text: String,
    /// Token counts as the provider reports them, when it does.
    pub input_tokens: Option<usize>,
    pub output_tokens: Option<usize>,
}

#[allow(async_fn_in_trait)]
pub trait ChatModel {
    fn provider(&self) -> &'static str;
    fn model(&self) -> &str;
    async fn complete(&self, request: &ChatRequest) -> Result<ChatAnswer, ModelError>;
}

/// The chat-completions request body.
pub fn chat_completions_body(model: &str, request: &ChatRequest) -> serde_json::Value {
    json!({
        "model": model,
        "temperature": 0,
        "max_tokens": request.max_output_tokens,
        "response_format": response_format(request, true),
        "messages": [
            {"role": "system", "content": request.system},
            {"role": "user", "content": request.user},
        ],
    })
}

#[derive(Deserialize)]
struct CompletionResponse {
    choices: Vec<CompletionChoice>,
    #[serde(default)]
    usage: Option<Usage>,
}

#[derive(Deserialize)]
struct CompletionChoice {
    message: CompletionMessage,
}

#[derive(Deserialize)]
struct CompletionMessage {
    #[serde(default)]
    content: Option<String>,
}

#[derive(Deserialize, Serialize, Default)]
struct Usage {
    #[serde(default)]
    prompt_tokens: Option<usize>,
    #[serde(default)]
    completion_tokens: Option<usize>,
}

/// Reads a chat-completions response body.
pub fn parse_chat_completion(body: &str) -> Result<ChatAnswer, String> {
    let response: CompletionResponse =
        serde_json::from_str(body).map_err(|e| format!("not a chat-completions response: {e}"))?;
    let choice = response.choices.into_iter().next().ok_or("the response has no choices")?;
    let usage = response.usage.unwrap_or_default();
    Ok(ChatAnswer {
        text: choice.message.content.unwrap_or_default(),
        input_tokens: usage.prompt_tokens,
        output_tokens: usage.completion_tokens,
    })
}

pub struct OpenAiCompatible {
    pub base_url: String,
    pub model: String,
    pub api_key: Option<String>,
    pub timeout_ms: u64,
}

impl ChatModel for OpenAiCompatible {
    fn provider(&self) -> &'static str {
        "openai_compatible"
    }

    fn model(&self) -> &str {
        &self.model
    }

    async fn complete(&self, request: &ChatRequest) -> Result<ChatAnswer, ModelError> {
        let url = format!("{}/chat/completions", self.base_url.trim_end_matches('/'));
        let authorization = self.api_key.as_ref().map(|key| format!("Bearer {key}"));
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(value) = &authorization {
            headers.push(("Authorization", value.as_str()));
        }
        let body = chat_completions_body(&self.model, request).to_string();
        let answer = crate::net::call_with_timeout(&url, &headers, Some(&body), self.timeout_ms, MAX_ANSWER_BYTES)
            .await
            .map_err(|error| match error {
                crate::net::PostError::NoAnswer(_) => ModelError::Unreachable(format!(
                    "model endpoint gave no answer within {} s",
                    self.timeout_ms / 1000
                )),
                crate::net::PostError::NotSent(why) => ModelError::Unreachable(why),
            })?;
        if answer.status != 200 {
            // The first part of the error body says why; never more.
            let why: String = answer.body.chars().take(300).collect();
            return Err(if is_schema_failure(Some(answer.status), &why) {
                ModelError::SchemaNotMet(why)
            } else {
                ModelError::Unreachable(format!("model endpoint answered HTTP {}", answer.status))
            });
        }
        parse_chat_completion(&answer.body).map_err(ModelError::Unreachable)
    }
}

pub struct WorkersAi {
    pub ai: worker::Ai,
    pub model: String,
}

#[derive(Deserialize)]
struct WorkersAiOutput {
    #[serde(default)]
    response: Option<serde_json::Value>,
    #[serde(default)]
    usage: Option<Usage>,
}

impl ChatModel for WorkersAi {
    fn provider(&self) -> &'static str {
        "workers_ai"
    }

    fn model(&self) -> &str {
        &self.model
    }

    async fn complete(&self, request: &ChatRequest) -> Result<ChatAnswer, ModelError> {
        let input = json!({
            "messages": [
                {"role": "system", "content": request.system},
                {"role": "user", "content": request.user},
            ],
            "max_tokens": request.max_output_tokens,
            "temperature": 0,
            "response_format": response_format(request, false),
        });
        let output: WorkersAiOutput = self.ai.run(&self.model, input).await.map_err(|e| {
            let why = e.to_string();
            if is_schema_failure(None, &why) {
                ModelError::SchemaNotMet(why)
            } else {
                ModelError::Unreachable(why)
            }
        })?;
        let text = match output.response {
            Some(serde_json::Value::String(text)) => text,
            Some(other) => other.to_string(),
            None => return Err(ModelError::Unreachable("Workers AI answered without a response".into())),
        };
        let usage = output.usage.unwrap_or_default();
        Ok(ChatAnswer { text, input_tokens: usage.prompt_tokens, output_tokens: usage.completion_tokens })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speaks_the_chat_completions_wire_format() {
        let mut request = ChatRequest { system: "s".into(), user: "u".into(), max_output_tokens: 100, schema: None };
        let body = chat_completions_body("llama", &request);
        assert_eq!(body["messages"][1]["content"], "u");
        assert_eq!(body["response_format"]["type"], "json_object");
        request.schema = Some(json!({"type": "object"}));
        let body = chat_completions_body("llama", &request);
        assert_eq!(body["response_format"]["type"], "json_schema");
        assert_eq!(body["response_format"]["json_schema"]["schema"], json!({"type": "object"}));
        assert_eq!(response_format(&request, false)["json_schema"], json!({"type": "object"}), "Workers AI's shape");
        let answer = parse_chat_completion(
            r#"{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"{}"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}"#,
        )
        .unwrap();
        assert_eq!(answer, ChatAnswer { text: "{}".into(), input_tokens: Some(12), output_tokens: Some(3) });
        assert!(parse_chat_completion("<html>").is_err());
        assert!(parse_chat_completion(r#"{"choices":[]}"#).is_err());
    }

    #[test]
    fn a_provider_refusing_the_schema_is_told_from_an_outage() {
        assert!(is_schema_failure(None, "AiError: JSON Mode couldn't be met"));
        assert!(is_schema_failure(
            Some(400),
            "{\"error\": \"response_format json_schema: grammar could not be compiled\"}"
        ));
        assert!(is_schema_failure(Some(422), "the output did not match the schema"));
        assert!(!is_schema_failure(Some(500), "internal error"));
        assert!(!is_schema_failure(Some(400), "context length exceeded"));
        assert!(!is_schema_failure(None, "network connection lost"));
    }
}
