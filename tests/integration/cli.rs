use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

/// Starts `samplepost serve` on a free port in `data_dir`, returns what it
/// printed up to "serving", then stops it.
fn start_once(data_dir: &std::path::Path) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_samplepost"))
        .args(["--bind", "127.0.0.1:0", "--data-dir"])
        .arg(data_dir)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start samplepost");
    let stdout = child.stdout.take().expect("stdout");
    let mut printed = String::new();
    for line in BufReader::new(stdout).lines() {
        let line = line.expect("line");
        printed.push_str(&line);
        printed.push('\n');
        if line.contains("serving on http://") {
            break;
        }
    }
    child.kill().ok();
    child.wait().ok();
    printed
}

#[test]
fn the_first_start_creates_the_admin_once_and_keeps_the_session_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let first = start_once(dir.path());
    assert!(first.contains("admin@samplepost.local"), "{first}");
    assert!(first.contains("one-time password"));
    let key_file = dir.path().join("session.key");
    let key = std::fs::read_to_string(&key_file).expect("session key kept");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let second = start_once(dir.path());
    assert!(!second.contains("password"), "no new password: {second}");
    assert!(second.contains("serving on http://127.0.0.1:"));
    assert_eq!(std::fs::read_to_string(&key_file).expect("key"), key);
}

#[test]
fn create_admin_prints_a_password_and_refuses_a_duplicate() {
    let dir = tempfile::tempdir().expect("temp dir");
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_samplepost"))
            .args(["create-admin", "--email", "Boss@Example.CN", "--data-dir"])
            .arg(dir.path())
            .env_remove("DATABASE_URL")
            .output()
            .expect("run create-admin")
    };
    let first = run();
    assert!(first.status.success());
    let stdout = String::from_utf8_lossy(&first.stdout);
    assert!(stdout.contains("boss@example.cn") && stdout.contains("one-time password"));
    let second = run();
    assert!(!second.status.success());
    assert!(String::from_utf8_lossy(&second.stderr).contains("exists already"));
}
