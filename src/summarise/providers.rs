//! Chat models behind one small trait: Workers AI through its binding, and any
//! OpenAI-compatible chat-completions endpoint (OpenAI, Workers AI's REST API,
//! a local llama.cpp or Ollama server). The extractive summariser needs none.

use serde::{Deserialize, Serialize};
use serde_json::json;

#[derive(Debug, Clone)]
pub struct ChatRequest {
    pub system: String,
    pub user: String,
    pub max_output_tokens: u32,
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
    async fn complete(&self, request: &ChatRequest) -> Result<ChatAnswer, String>;
}

/// The chat-completions request body.
pub fn chat_completions_body(model: &str, request: &ChatRequest) -> serde_json::Value {
    json!({
        "model": model,
        "temperature": 0,
        "max_tokens": request.max_output_tokens,
        "response_format": {"type": "json_object"},
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

    async fn complete(&self, request: &ChatRequest) -> Result<ChatAnswer, String> {
        use futures_util::future::{select, Either};
        let url = format!("{}/chat/completions", self.base_url.trim_end_matches('/'));
        let headers = worker::Headers::new();
        headers.set("Content-Type", "application/json").map_err(|e| e.to_string())?;
        if let Some(key) = &self.api_key {
            headers.set("Authorization", &format!("Bearer {key}")).map_err(|e| e.to_string())?;
        }
        let body = chat_completions_body(&self.model, request).to_string();
        let mut init = worker::RequestInit::new();
        init.with_method(worker::Method::Post).with_headers(headers).with_body(Some(body.into()));
        let outbound = worker::Request::new_with_init(&url, &init).map_err(|e| e.to_string())?;
        let controller = worker::AbortController::default();
        let signal = controller.signal();
        let call = async {
            let mut response =
                worker::Fetch::Request(outbound).send_with_signal(&signal).await.map_err(|e| e.to_string())?;
            let status = response.status_code();
            let text = response.text().await.map_err(|e| e.to_string())?;
            if status != 200 {
                return Err(format!("model endpoint answered HTTP {status}"));
            }
            parse_chat_completion(&text)
        };
        let timeout = worker::Delay::from(std::time::Duration::from_millis(self.timeout_ms));
        let result = match select(std::pin::pin!(call), timeout).await {
            Either::Left((result, _)) => result,
            Either::Right(_) => Err(format!("model endpoint gave no answer within {} s", self.timeout_ms / 1000)),
        };
        if result.is_err() {
            controller.abort();
        }
        result
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

    async fn complete(&self, request: &ChatRequest) -> Result<ChatAnswer, String> {
        let input = json!({
            "messages": [
                {"role": "system", "content": request.system},
                {"role": "user", "content": request.user},
            ],
            "max_tokens": request.max_output_tokens,
            "temperature": 0,
            "response_format": {"type": "json_object"},
        });
        let output: WorkersAiOutput = self.ai.run(&self.model, input).await.map_err(|e| e.to_string())?;
        let text = match output.response {
            Some(serde_json::Value::String(text)) => text,
            Some(other) => other.to_string(),
            None => return Err("Workers AI answered without a response".into()),
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
        let request = ChatRequest { system: "s".into(), user: "u".into(), max_output_tokens: 100 };
        let body = chat_completions_body("llama", &request);
        assert_eq!(body["messages"][1]["content"], "u");
        assert_eq!(body["response_format"]["type"], "json_object");
        let answer = parse_chat_completion(
            r#"{"id":"x","object":"chat.completion","choices":[{"index":0,"message":{"role":"assistant","content":"{}"},"finish_reason":"stop"}],"usage":{"prompt_tokens":12,"completion_tokens":3,"total_tokens":15}}"#,
        )
        .unwrap();
        assert_eq!(answer, ChatAnswer { text: "{}".into(), input_tokens: Some(12), output_tokens: Some(3) });
        assert!(parse_chat_completion("<html>").is_err());
        assert!(parse_chat_completion(r#"{"choices":[]}"#).is_err());
    }
}
