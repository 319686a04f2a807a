//! Starting `coproduction serve` as a process, and talking HTTP/1.1 to it over a plain
//! socket, for the tests that drive the tool's server.
#![allow(dead_code)]

use std::io::{BufRead, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

/// A server process and the address it listens on.
pub struct Server {
    pub child: Child,
    pub addr: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub fn start(args: &[&str]) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_coproduction"))
        .arg("serve")
        .args(args)
        .args(["--listen", "127.0.0.1:0", "--trust-request-time"])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap_or_else(|| panic!("{line}"))
        .to_owned();
    Server { child, addr }
}

/// One HTTP/1.1 exchange: the status and the body.
pub fn http(
    addr: &str,
    method: &str,
    path: &str,
    member: Option<u64>,
    body: &str,
) -> (u16, String) {
    let mut socket = TcpStream::connect(addr).unwrap();
    let member = member.map_or_else(String::new, |m| format!("x-coproduction-member: {m}\r\n"));
    write!(
        socket,
        "{method} {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n{member}Content-Type: application/json\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut response = String::new();
    socket.read_to_string(&mut response).unwrap();
    let status = response[9..12].parse().unwrap();
    let body = response
        .split_once("\r\n\r\n")
        .map_or("", |(_, b)| b)
        .to_owned();
    (status, body)
}
