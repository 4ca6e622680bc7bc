//! Telling data from things that only look like answers: redirect stubs,
//! error pages from the wrong host, truncated or mis-encoded bodies.

use super::SourceError;

/// The body as text. UTF-8 only (a BOM is dropped); anything else is an error
/// rather than silently mangled text.
pub fn decode_text(bytes: &[u8]) -> Result<&str, SourceError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| SourceError::NotUtf8 { byte_offset: e.valid_up_to() })?;
    if text.trim().is_empty() {
        return Err(SourceError::Empty);
    }
    Ok(text)
}

/// The `<title>` of an HTML page, if it has one.
pub fn html_title(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let start = lower.find("<title")?;
    let open_end = start + lower[start..].find('>')? + 1;
    let close = open_end + lower[open_end..].find("</title")?;
    let title = super::text::collapse_whitespace(&text[open_end..close]);
    (!title.is_empty()).then_some(title)
}

fn looks_like_redirect_stub(lower_head: &str) -> bool {
    lower_head.contains("<script")
        && (lower_head.contains("window.location")
            || lower_head.contains("location.href")
            || lower_head.contains("location.replace"))
        && !lower_head.contains("<?xml")
}

fn looks_like_html(lower_head: &str) -> bool {
    let trimmed = lower_head.trim_start();
    trimmed.starts_with("<!doctype html")
        || trimmed.starts_with("<html")
        || lower_head.contains("<html")
        || lower_head.contains("<body")
}

/// Checks that `text` is the XML document `expected_root` and parses it.
pub fn parse_xml<'a>(text: &'a str, expected_root: &'static str) -> Result<roxmltree::Document<'a>, SourceError> {
    let head_end = text.char_indices().nth(4096).map_or(text.len(), |(i, _)| i);
    let lower_head = text[..head_end].to_ascii_lowercase();
    if looks_like_redirect_stub(&lower_head) {
        return Err(SourceError::JavaScriptRedirectStub);
    }
    if looks_like_html(&lower_head) {
        return Err(SourceError::HtmlInsteadOfXml { title: html_title(text) });
    }
    let document = roxmltree::Document::parse(text).map_err(|error| {
        use roxmltree::Error as E;
        match error {
            E::UnexpectedEndOfStream | E::UnclosedRootNode => SourceError::TruncatedXml(error.to_string()),
            _ if text.trim_end().len() < text.len() / 2 => SourceError::TruncatedXml(error.to_string()),
            _ => SourceError::MalformedXml(error.to_string()),
        }
    })?;
    let root = document.root_element().tag_name().name();
    if !root.eq_ignore_ascii_case(expected_root) {
        return Err(SourceError::UnexpectedDocument { expected: expected_root, found: root.to_string() });
    }
    Ok(document)
}

/// Checks that `text` is an HTML page and not a redirect stub.
pub fn expect_html(text: &str) -> Result<(), SourceError> {
    let head_end = text.char_indices().nth(4096).map_or(text.len(), |(i, _)| i);
    let lower_head = text[..head_end].to_ascii_lowercase();
    if looks_like_redirect_stub(&lower_head) && !lower_head.contains("<body") {
        return Err(SourceError::JavaScriptRedirectStub);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/tests/fixtures/moderngov/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn rejects_the_javascript_redirect_stub() {
        let body = fixture("denbighshire_GetCouncillorsByWard_http-js-redirect-stub.html");
        let text = decode_text(&body).unwrap();
        assert_eq!(parse_xml(text, "committees").unwrap_err(), SourceError::JavaScriptRedirectStub);
        assert_eq!(expect_html(text).unwrap_err(), SourceError::JavaScriptRedirectStub);
    }

    #[test]
    fn rejects_the_wrong_host_error_page() {
        let body = fixture("leeds_GetCouncillorsByWard_wrong-host-sharepoint-error-page.html");
        let text = decode_text(&body).unwrap();
        assert_eq!(
            parse_xml(text, "committees").unwrap_err(),
            SourceError::HtmlInsteadOfXml { title: Some("Error".into()) }
        );
    }

    #[test]
    fn rejects_truncated_xml() {
        let body = fixture("manchester_GetMeeting_4967_with-minutes.xml");
        let text = decode_text(&body).unwrap();
        let cut = &text[..text.len() / 2];
        assert!(matches!(parse_xml(cut, "meeting").unwrap_err(), SourceError::TruncatedXml(_)));
    }

    #[test]
    fn rejects_malformed_xml_and_wrong_documents() {
        assert!(matches!(
            parse_xml("<meeting><a></b></meeting>", "meeting").unwrap_err(),
            SourceError::MalformedXml(_)
        ));
        let body = fixture("coventry_GetCouncillorsByWard.xml");
        let text = decode_text(&body).unwrap();
        assert!(matches!(
            parse_xml(text, "meeting").unwrap_err(),
            SourceError::UnexpectedDocument { expected: "meeting", .. }
        ));
    }

    #[test]
    fn rejects_windows_1252_bytes_and_empty_bodies() {
        let body = b"<?xml version=\"1.0\"?><meeting><meetinglocation>Caf\xe9</meetinglocation></meeting>";
        assert_eq!(decode_text(body).unwrap_err(), SourceError::NotUtf8 { byte_offset: 50 });
        assert_eq!(decode_text(b"  \r\n").unwrap_err(), SourceError::Empty);
        assert_eq!(decode_text(b"\xEF\xBB\xBF<a/>").unwrap(), "<a/>");
    }

    #[test]
    fn accepts_every_real_xml_fixture() {
        for (name, root) in [
            ("manchester_GetCommittees_excerpt.xml", "committees"),
            ("manchester_GetMeetings_audit-committee-144.xml", "getmeetings"),
            ("manchester_GetMeeting_4967_with-minutes.xml", "meeting"),
            ("manchester_GetMeeting_4966_cancelled-no-agenda.xml", "meeting"),
            ("coventry_GetCouncillorsByWard.xml", "councillorsbyward"),
            ("kirklees_GetCouncillorsByWard.xml", "councillorsbyward"),
            ("sefton_GetCouncillorsByWard.xml", "councillorsbyward"),
            ("east-herts_GetCouncillorsByWard_empty-wards.xml", "councillorsbyward"),
            ("kirklees_GetElectionResults_397.xml", "election"),
        ] {
            let body = fixture(name);
            let text = decode_text(&body).unwrap();
            let result = parse_xml(text, root);
            assert!(result.is_ok(), "{name}: {:?}", result.err());
        }
    }
}
