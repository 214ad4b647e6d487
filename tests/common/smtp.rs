//! A tiny SMTP server for tests: it speaks just enough SMTP for lettre,
//! keeps every message it accepts, and can refuse the next few.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

#[derive(Clone, Default)]
pub struct SmtpSink {
    pub port: u16,
    messages: Arc<Mutex<Vec<String>>>,
    refuse: Arc<AtomicUsize>,
}

impl SmtpSink {
    pub fn start() -> SmtpSink {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind SMTP sink");
        let sink = SmtpSink {
            port: listener.local_addr().expect("addr").port(),
            ..SmtpSink::default()
        };
        let server = sink.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let server = server.clone();
                std::thread::spawn(move || server.session(stream));
            }
        });
        sink
    }

    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    /// The next `count` messages are refused with a temporary failure.
    pub fn refuse_next(&self, count: usize) {
        self.refuse.store(count, Ordering::SeqCst);
    }

    pub fn messages(&self) -> Vec<String> {
        self.messages.lock().expect("messages").clone()
    }

    fn session(&self, stream: TcpStream) {
        let mut writer = stream.try_clone().expect("clone stream");
        let mut reader = BufReader::new(stream);
        let mut say = |text: &str| writer.write_all(format!("{text}\r\n").as_bytes());
        if say("220 sink ESMTP").is_err() {
            return;
        }
        let mut line = String::new();
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let command = line.trim_end().to_ascii_uppercase();
            let reply = if command.starts_with("EHLO") || command.starts_with("HELO") {
                "250 sink"
            } else if command.starts_with("DATA") {
                if say("354 go ahead").is_err() {
                    return;
                }
                let mut message = String::new();
                loop {
                    let mut data = String::new();
                    if reader.read_line(&mut data).unwrap_or(0) == 0 {
                        return;
                    }
                    if data.trim_end() == "." {
                        break;
                    }
                    message.push_str(&data);
                }
                let refused = self
                    .refuse
                    .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
                    .is_ok();
                if refused {
                    "451 try again later"
                } else {
                    self.messages.lock().expect("messages").push(message);
                    "250 queued"
                }
            } else if command.starts_with("QUIT") {
                let _ = say("221 bye");
                return;
            } else {
                "250 ok"
            };
            if say(reply).is_err() {
                return;
            }
        }
    }
}
