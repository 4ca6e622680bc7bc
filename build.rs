//! The API's OpenAPI document is kept readable in `src/web/openapi.json` and
//! built into the site worker without its white space, which the worker's
//! size budget would otherwise carry.

use std::{env, fs, path::Path};

fn main() {
    let source = "src/web/openapi.json";
    println!("cargo:rerun-if-changed={source}");
    let text = fs::read_to_string(source).expect("the OpenAPI document");
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            match (escaped, c) {
                (true, _) => escaped = false,
                (false, '\\') => escaped = true,
                (false, '"') => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !c.is_whitespace() {
            out.push(c);
        }
    }
    let target = Path::new(&env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("openapi.min.json");
    fs::write(target, out).expect("the minified document is written");
}
