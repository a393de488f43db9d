//! Drives a real `ttx serve` process over HTTP, for the live exercise tests: a minimal HTTP/1.1
//! client on std's TcpStream (one request per connection), the join links the server prints,
//! and the event stream read for a while.

#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Resp {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Resp {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

fn parse(raw: &[u8]) -> std::io::Result<Resp> {
    let text = String::from_utf8_lossy(raw).to_string();
    let (head, body) = text
        .split_once("\r\n\r\n")
        .ok_or_else(|| std::io::Error::other("no HTTP head"))?;
    let mut lines = head.lines();
    let status = lines
        .next()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| std::io::Error::other("no status"))?;
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_string(), v.trim().to_string()))
        .collect();
    let chunked = headers
        .iter()
        .any(|(k, v)| k.eq_ignore_ascii_case("transfer-encoding") && v.contains("chunked"));
    let body = if chunked {
        dechunk(body)
    } else {
        body.to_string()
    };
    Ok(Resp {
        status,
        headers,
        body,
    })
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            out.push_str(&rest[..rest.len().min(n)]);
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// One request; `cookie` is sent as is (`ttx_session=…`).
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    cookie: Option<&str>,
    body: Option<&str>,
) -> std::io::Result<Resp> {
    let mut s = TcpStream::connect(addr)?;
    s.set_read_timeout(Some(Duration::from_secs(30)))?;
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nAccept: application/json\r\n"
    );
    if let Some(c) = cookie {
        req.push_str(&format!("Cookie: {c}\r\n"));
    }
    if let Some(b) = body {
        req.push_str(&format!(
            "Content-Type: application/json\r\nContent-Length: {}\r\n",
            b.len()
        ));
    }
    req.push_str("\r\n");
    if let Some(b) = body {
        req.push_str(b);
    }
    s.write_all(req.as_bytes())?;
    // Read until the body is complete (some servers keep the connection open regardless).
    let mut raw = Vec::new();
    let mut buf = [0u8; 65536];
    loop {
        let n = s.read(&mut buf)?;
        if n == 0 {
            break;
        }
        raw.extend_from_slice(&buf[..n]);
        if complete(&raw) {
            break;
        }
    }
    parse(&raw)
}

fn complete(raw: &[u8]) -> bool {
    let text = String::from_utf8_lossy(raw);
    let Some((head, body)) = text.split_once("\r\n\r\n") else {
        return false;
    };
    let head = head.to_ascii_lowercase();
    if let Some(len) = head
        .lines()
        .find_map(|l| l.strip_prefix("content-length:"))
        .and_then(|v| v.trim().parse::<usize>().ok())
    {
        return body.len() >= len;
    }
    if head.contains("transfer-encoding: chunked") {
        return body.ends_with("0\r\n\r\n");
    }
    false
}

pub fn get(addr: &str, path: &str, cookie: Option<&str>) -> Resp {
    request(addr, "GET", path, cookie, None).expect("server answers")
}

pub fn post(addr: &str, path: &str, cookie: Option<&str>, body: serde_json::Value) -> Resp {
    request(addr, "POST", path, cookie, Some(&body.to_string())).expect("server answers")
}

/// The event stream at `path` read for `wait`: everything the server sent in that time.
pub fn stream(
    addr: &str,
    path: &str,
    cookie: Option<&str>,
    last_event_id: Option<u32>,
    wait: Duration,
) -> String {
    let mut s = TcpStream::connect(addr).expect("connect");
    let mut req = format!("GET {path} HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n");
    if let Some(c) = cookie {
        req.push_str(&format!("Cookie: {c}\r\n"));
    }
    if let Some(n) = last_event_id {
        req.push_str(&format!("Last-Event-ID: {n}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    let deadline = Instant::now() + wait;
    let mut raw = Vec::new();
    let mut buf = [0u8; 65536];
    while Instant::now() < deadline {
        s.set_read_timeout(Some(
            deadline
                .saturating_duration_since(Instant::now())
                .max(Duration::from_millis(10)),
        ))
        .unwrap();
        match s.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => raw.extend_from_slice(&buf[..n]),
            Err(_) => break,
        }
    }
    String::from_utf8_lossy(&raw).to_string()
}

/// A running `ttx serve`, killed when dropped.
pub struct Server {
    pub child: Child,
    pub addr: String,
    /// Role label (`facilitator`, `team aurelia`, `evaluator`) → join link path (`/join/…`).
    pub links: Vec<(String, String)>,
}

impl Server {
    pub fn start(args: &[&str]) -> Server {
        let mut child = Command::new(env!("CARGO_BIN_EXE_ttx"))
            .arg("serve")
            .args(args)
            .args(["--bind", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("ttx serve starts");
        let out = child.stdout.take().unwrap();
        let mut links = Vec::new();
        let mut addr = String::new();
        for line in BufReader::new(out).lines() {
            let line = line.expect("stdout");
            if line.starts_with("Stop with") {
                break;
            }
            if let Some(i) = line.find("http://") {
                let url = &line[i + 7..];
                let (host, path) = url.split_once('/').unwrap();
                addr = host.to_string();
                links.push((line[..i].trim().to_string(), format!("/{path}")));
            }
        }
        assert!(!links.is_empty(), "ttx serve printed no join link");
        Server { child, addr, links }
    }

    pub fn resume(dir: &Path) -> Server {
        Server::start(&["--resume", dir.to_str().unwrap()])
    }

    pub fn link(&self, role: &str) -> &str {
        &self
            .links
            .iter()
            .find(|(r, _)| r == role)
            .unwrap_or_else(|| panic!("no link for {role}: {:?}", self.links))
            .1
    }

    /// Joins as `role`, or `None` if the server does not answer (it was just killed).
    pub fn try_join(&self, role: &str) -> Option<String> {
        let r = request(&self.addr, "GET", self.link(role), None, None).ok()?;
        let set = r.header("set-cookie")?;
        Some(set.split(';').next()?.to_string())
    }

    /// Joins as `role`; returns the cookie to send.
    pub fn join(&self, role: &str) -> String {
        let r = get(&self.addr, self.link(role), None);
        assert_eq!(r.status, 303, "joining as {role}");
        let set = r
            .header("set-cookie")
            .expect("a session cookie")
            .to_string();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Strict"),
            "{set}"
        );
        set.split(';').next().unwrap().to_string()
    }

    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        self.kill();
    }
}
