//! A minimal HTTP/1.1 server on 127.0.0.1 for the fakes of services we send
//! to (a webhook receiver, an email provider): each request is read whole
//! (request line, headers, body by Content-Length) and answered by a handler.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

pub struct Request {
    pub method: String,
    pub path: String,
    /// Names lower-cased.
    pub headers: HashMap<String, String>,
    pub body: Vec<u8>,
}

pub struct Answer {
    pub status: u16,
    pub content_type: &'static str,
    pub body: String,
    /// Sent as `Location` (a redirect).
    pub location: Option<String>,
    /// Wait this long before answering (a service that accepted, then stalls).
    pub delay: Duration,
    /// Instead of `body`, declare this many bytes and trickle them, a kilobyte
    /// every 50 ms, until the client goes away; how many were written is
    /// added to `written`.
    pub trickle: Option<(usize, Arc<std::sync::atomic::AtomicUsize>)>,
}

impl Answer {
    pub fn new(status: u16, content_type: &'static str, body: impl Into<String>) -> Self {
        Self { status, content_type, body: body.into(), location: None, delay: Duration::ZERO, trickle: None }
    }
}

/// Serves on a free loopback port until the test binary ends; answers the port.
pub fn serve(handler: impl Fn(Request) -> Answer + Send + Sync + 'static) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a loopback port");
    let port = listener.local_addr().unwrap().port();
    let handler = Arc::new(handler);
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let handler = Arc::clone(&handler);
            thread::spawn(move || answer(stream, handler.as_ref()));
        }
    });
    port
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
    thread::sleep(reply.delay);
    let length = reply.trickle.as_ref().map_or(reply.body.len(), |(total, _)| *total);
    let location = reply.location.as_ref().map(|l| format!("Location: {l}\r\n")).unwrap_or_default();
    let head = format!(
        "HTTP/1.1 {} X\r\nContent-Type: {}\r\nContent-Length: {length}\r\n{location}Connection: close\r\n\r\n",
        reply.status, reply.content_type,
    );
    let _ = stream.write_all(head.as_bytes());
    match reply.trickle {
        None => {
            let _ = stream.write_all(reply.body.as_bytes());
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
