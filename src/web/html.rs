//! Server-rendered pages. Everything from councils is escaped on the way out.

use serde_json::Value;

pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

/// Links only to http(s) URLs; anything else (javascript:, data:) becomes inert.
pub fn safe_url(value: &Value) -> String {
    let url = value.as_str().unwrap_or_default();
    let lower = url.trim_start().to_ascii_lowercase();
    if lower.starts_with("https://") || lower.starts_with("http://") {
        escape(url)
    } else {
        "#".to_string()
    }
}

fn text(value: &Value) -> String {
    escape(value.as_str().unwrap_or_default())
}

pub fn layout(title: &str, body: &str) -> String {
    format!(
        "<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{} · council-digest</title><style>body{{font:1rem/1.5 system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:1rem}}\
         a{{color:#0b57d0}}li{{margin:.25rem 0}}.muted{{color:#555}}</style></head><body><header><a href=\"/\">council-digest</a></header>\
         <main>{}</main></body></html>",
        escape(title),
        body
    )
}

pub fn home(councils: &[Value]) -> String {
    let items: String = councils
        .iter()
        .filter(|c| c["enabled"].as_i64() == Some(1))
        .map(|c| format!("<li><a href=\"/councils/{}\">{}</a></li>", text(&c["id"]), text(&c["name"])))
        .collect();
    layout("Councils", &format!("<h1>What your council decided</h1><h2>Councils</h2><ul>{items}</ul>"))
}

pub fn council(council: &Value, meetings: &[Value]) -> String {
    let items: String = meetings
        .iter()
        .map(|m| {
            let status = if m["status"] == "cancelled" { " <strong>(cancelled)</strong>" } else { "" };
            format!("<li><a href=\"/meetings/{}\">{}</a>{status}</li>", text(&m["id"]), text(&m["title"]))
        })
        .collect();
    layout(
        council["name"].as_str().unwrap_or_default(),
        &format!("<h1>{}</h1><h2>Meetings</h2><ul>{items}</ul>", text(&council["name"])),
    )
}

fn summary_html(summary: &Value) -> String {
    let body = &summary["body"];
    if body.is_null() {
        return String::new();
    }
    let mut out = format!(
        "<p class=\"label\"><strong>{}</strong></p><p class=\"headline\">{}</p>",
        text(&body["label"]),
        text(&body["headline"])
    );
    if let Some(reason) = summary["updated_reason"].as_str() {
        out.push_str(&format!("<p class=\"muted\">Updated: {}</p>", escape(reason)));
    }
    for section in body["sections"].as_array().into_iter().flatten() {
        out.push_str(&format!("<section><h2>{}</h2><p>{}</p>", text(&section["title"]), text(&section["summary"])));
        let decisions = section["decisions"].as_array().cloned().unwrap_or_default();
        if !decisions.is_empty() {
            out.push_str("<h3>Decisions</h3><ul>");
            for decision in &decisions {
                out.push_str(&format!(
                    "<li>{}<sup><a href=\"#fn{n}\">{n}</a></sup></li>",
                    text(&decision["text"]),
                    n = decision["footnote"].as_u64().unwrap_or(0)
                ));
            }
            out.push_str("</ul>");
        }
        for quote in section["quotes"].as_array().into_iter().flatten() {
            out.push_str(&format!(
                "<blockquote>\u{201c}{}\u{201d}<sup><a href=\"#fn{n}\">{n}</a></sup></blockquote>",
                text(&quote["text"]),
                n = quote["footnote"].as_u64().unwrap_or(0)
            ));
        }
        out.push_str("</section>");
    }
    if let Some(procedural) = body["procedural"].as_str() {
        out.push_str(&format!("<p class=\"muted\">{}</p>", escape(procedural)));
    }
    let footnotes = body["footnotes"].as_array().cloned().unwrap_or_default();
    if !footnotes.is_empty() {
        out.push_str("<ol class=\"footnotes\">");
        for footnote in &footnotes {
            out.push_str(&format!(
                "<li id=\"fn{}\"><a href=\"{}\" rel=\"noopener\">{}</a></li>",
                footnote["number"].as_u64().unwrap_or(0),
                safe_url(&footnote["url"]),
                text(&footnote["label"])
            ));
        }
        out.push_str("</ol>");
    }
    out
}

pub fn meeting(meeting: &Value) -> String {
    let items: String = meeting["agenda_items"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .map(|i| format!("<li><strong>{}</strong> {}</li>", text(&i["number"]), text(&i["title"])))
                .collect()
        })
        .unwrap_or_default();
    let documents: String = meeting["documents"]
        .as_array()
        .map(|docs| {
            docs.iter()
                .map(|d| {
                    format!("<li><a href=\"{}\" rel=\"noopener\">{}</a></li>", safe_url(&d["url"]), text(&d["title"]))
                })
                .collect()
        })
        .unwrap_or_default();
    layout(
        meeting["title"].as_str().unwrap_or_default(),
        &format!(
            "<h1>{}</h1><p class=\"muted\">{} · <a href=\"{}\" rel=\"noopener\">View on council website</a></p>{}\
             <h2>Agenda</h2><ol>{items}</ol><h2>Documents</h2><ul>{documents}</ul>",
            text(&meeting["title"]),
            text(&meeting["local_date"]),
            safe_url(&meeting["web_url"]),
            summary_html(&meeting["summary"]),
        ),
    )
}

pub fn not_found(what: &str) -> String {
    layout("Not found", &format!("<h1>Not found</h1><p>{}</p><p><a href=\"/\">All councils</a></p>", escape(what)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_council_text() {
        assert_eq!(
            escape("<script>alert('x')</script> & \""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;"
        );
        let page = meeting(&serde_json::json!({
            "title": "<img src=x onerror=alert(1)>",
            "agenda_items": [{"number": "1", "title": "<script>bad()</script>"}],
            "documents": [{"url": "javascript:alert(1)\"", "title": "x"}]
        }));
        assert!(!page.contains("<script>bad"));
        assert!(!page.contains("<img src=x"));
        assert!(page.contains("&lt;script&gt;bad()"));
        assert!(!page.contains("javascript:"));
    }
}
