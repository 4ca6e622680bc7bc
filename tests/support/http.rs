//! The one loopback HTTP/1.1 server every fake runs on (a council site, a
//! CMIS site, the model, the postcode service, a webhook receiver, an email
//! provider): each request is read whole (request line, headers, body by
//! Content-Length) and answered by the fake's handler, so a fake is only its
//! routes and answers.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

pub struct Request {
    pub method: String,
    /// The request target: path and query.
    pub path: String,
    /// Names lower-cased.
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

impl Request {
    /// The path and the query (without `?`), split.
    pub fn path_and_query(&self) -> (&str, &str) {
        self.path.split_once('?').unwrap_or((self.path.as_str(), ""))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(&name.to_ascii_lowercase()).map(String::as_str)
    }
}

pub struct Answer {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
    /// Sent as `Location` (a redirect).
    pub location: Option<String>,
    /// Other headers (`ETag`).
    pub headers: Vec<(&'static str, String)>,
    /// Wait this long before answering (a service that accepted, then stalls).
    pub delay: Duration,
    /// Instead of `body`, declare this many bytes and trickle them, a kilobyte
    /// every 50 ms, until the client goes away; how many were written is
    /// added to `written`.
    pub trickle: Option<(usize, Arc<std::sync::atomic::AtomicUsize>)>,
    /// Never answer: hold the connection open until the client gives up.
    pub hang: bool,
}

impl Answer {
    pub fn new(status: u16, content_type: &'static str, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            content_type,
            body: body.into(),
            location: None,
            headers: Vec::new(),
            delay: Duration::ZERO,
            trickle: None,
            hang: false,
        }
    }

    pub fn redirect(location: String) -> Self {
        Self { location: Some(location), ..Self::new(302, "text/html", "<html><body>Moved</body></html>") }
    }

    pub fn hang() -> Self {
        Self { hang: true, ..Self::new(200, "text/plain", "") }
    }
}

/// Serves on a free loopback port until the test binary ends; answers the port.
pub fn serve(handler: impl Fn(Request) -> Answer + Send + Sync + 'static) -> u16 {
    let (listener, port) = bind(0);
    serve_listener(listener, handler);
    port
}

/// A loopback port bound ahead of serving (0 picks a free one), for a fake
/// whose answers link to itself.
pub fn bind(port: u16) -> (TcpListener, u16) {
    let listener = TcpListener::bind(("127.0.0.1", port)).expect("bind a loopback port");
    let port = listener.local_addr().unwrap().port();
    (listener, port)
}

/// Serves a bound port until the test binary ends.
pub fn serve_listener(listener: TcpListener, handler: impl Fn(Request) -> Answer + Send + Sync + 'static) {
    let handler = Arc::new(handler);
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let handler = Arc::clone(&handler);
            thread::spawn(move || answer(stream, handler.as_ref()));
        }
    });
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        404 => "Not Found",
        429 => "Too Many Requests",
        _ => "Error",
    }
}

fn answer(mut stream: TcpStream, handler: &dyn Fn(Request) -> Answer) {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
    let mut reader = BufReader::new(stream.try_clone().expect("clone stream"));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut headers = HashMap::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" || line == "\n" {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    let length: usize = headers.get("content-length").and_then(|l| l.parse().ok()).unwrap_or(0);
    let mut body = vec![0; length];
    let _ = reader.read_exact(&mut body);
    let mut parts = request_line.split_whitespace();
    let method = parts.next().unwrap_or("GET").to_string();
    let path = parts.next().unwrap_or("/").to_string();
    let reply = handler(Request { method, path, headers, body });
    if reply.hang {
        let mut sink = [0u8; 64];
        let _ = stream.set_read_timeout(Some(Duration::from_secs(120)));
        let _ = stream.read(&mut sink);
        return;
    }
    thread::sleep(reply.delay);
    let length = reply.trickle.as_ref().map_or(reply.body.len(), |(total, _)| *total);
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {length}\r\nConnection: close\r\n",
        reply.status,
        reason(reply.status),
        reply.content_type,
    );
    if let Some(location) = &reply.location {
        head.push_str(&format!("Location: {location}\r\n"));
    }
    for (name, value) in &reply.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    let _ = stream.write_all(head.as_bytes());
    match reply.trickle {
        None => {
            let _ = stream.write_all(&reply.body);
            let _ = stream.flush();
        }
        Some((total, written)) => {
            let chunk = [b'x'; 1024];
            let mut sent = 0;
            while sent < total && stream.write_all(&chunk).is_ok() && stream.flush().is_ok() {
                sent += chunk.len();
                written.fetch_add(chunk.len(), std::sync::atomic::Ordering::Relaxed);
                thread::sleep(Duration::from_millis(50));
            }
        }
    }
}
