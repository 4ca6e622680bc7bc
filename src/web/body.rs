//! Request bodies read with a cap: a declared length past the cap is refused
//! before anything is read, and reading stops as soon as the cap is passed,
//! so no route reads more than it will accept.

use worker::Request;

/// Why a body was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BodyError {
    /// Larger than the route accepts (413).
    TooLarge { limit_bytes: usize },
    /// Broken off, or not text.
    Unreadable,
}

/// Whether a `Content-Length` header declares more than `max` bytes.
pub fn declared_too_large(content_length: Option<&str>, max: usize) -> bool {
    content_length.and_then(|v| v.trim().parse::<u64>().ok()).is_some_and(|length| length > max as u64)
}

/// The body as text, at most `max` bytes of it.
pub async fn read_capped(req: &mut Request, max: usize) -> Result<String, BodyError> {
    use futures_util::StreamExt;
    let too_large = BodyError::TooLarge { limit_bytes: max };
    if declared_too_large(req.headers().get("Content-Length").ok().flatten().as_deref(), max) {
        return Err(too_large);
    }
    let mut bytes = Vec::new();
    // A request without a body has no stream.
    if let Ok(mut stream) = req.stream() {
        while let Some(chunk) = stream.next().await {
            let chunk = chunk.map_err(|_| BodyError::Unreadable)?;
            if bytes.len() + chunk.len() > max {
                return Err(too_large);
            }
            bytes.extend_from_slice(&chunk);
        }
    }
    String::from_utf8(bytes).map_err(|_| BodyError::Unreadable)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_declared_length_past_the_cap_is_refused_before_reading() {
        assert!(declared_too_large(Some("65537"), 65_536));
        assert!(declared_too_large(Some(" 99999999999999 "), 65_536));
        assert!(!declared_too_large(Some("65536"), 65_536));
        assert!(!declared_too_large(None, 65_536), "no length: read with the cap");
        assert!(!declared_too_large(Some("chunked"), 65_536));
    }
}
