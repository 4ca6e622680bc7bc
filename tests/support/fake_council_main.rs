//! The fake ModernGov council as a standalone server, for local development:
//! `cargo run --example fake_council -- --port 8790`.

#[path = "http.rs"]
#[allow(dead_code)]
mod http;

#[path = "fake_council.rs"]
#[allow(dead_code)] // The tests use more of it than the standalone server does.
mod fake_council;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let port = args
        .iter()
        .position(|a| a == "--port")
        .and_then(|i| args.get(i + 1))
        .and_then(|p| p.parse().ok())
        .unwrap_or(8790);
    let server = fake_council::FakeCouncil::start_on(port);
    let base = server.add_site("", fake_council::coventry_like(fake_council::Behaviour::Healthy));
    println!("fake ModernGov council on {base}");
    loop {
        std::thread::park();
    }
}
