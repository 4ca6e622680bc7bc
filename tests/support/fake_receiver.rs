//! A webhook receiver on 127.0.0.1, as an integrator runs one: `/ok/…`
//! answers 200, `/fail/…` 500, `/flaky/…` 500 to a message's first attempt
//! and 200 after. Every request is kept with its headers and body.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::Duration;

#[derive(Debug, Clone)]
pub struct Received {
    pub path: String,
    pub headers: HashMap<String, String>,
    pub body: String,
    pub status: u16,
}

#[derive(Clone)]
pub struct FakeReceiver {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
}

impl FakeReceiver {
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind fake receiver");
        let port = listener.local_addr().unwrap().port();
        let server = Self { port, received: Arc::default() };
        let handler = server.clone();
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let handler = handler.clone();
                thread::spawn(move || handler.serve(stream));
            }
        });
        server
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// Requests to paths beginning with `prefix`.
    pub fn received(&self, prefix: &str) -> Vec<Received> {
        self.received.lock().unwrap().iter().filter(|r| r.path.starts_with(prefix)).cloned().collect()
    }

    fn serve(&self, mut stream: TcpStream) {
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
        let path = request_line.split_whitespace().nth(1).unwrap_or("/").to_string();
        let status = {
            let mut received = self.received.lock().unwrap();
            let id = headers.get("webhook-id").cloned().unwrap_or_default();
            let seen = received.iter().any(|r| r.headers.get("webhook-id") == Some(&id) && r.path == path);
            let status = if path.starts_with("/fail") || (path.starts_with("/flaky") && !seen) { 500 } else { 200 };
            received.push(Received { path, headers, body: String::from_utf8_lossy(&body).into_owned(), status });
            status
        };
        let reply = if status == 200 { "ok" } else { "broken" };
        let head = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: text/plain\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            reply.len()
        );
        let _ = stream.write_all(head.as_bytes());
        let _ = stream.write_all(reply.as_bytes());
    }
}
