//! A small HTTP/1.1 server: one thread per connection, keep-alive, bodies
//! with Content-Length only. Enough for the demo and its tests, and simple
//! enough to trust: a browser may have six large answers in flight at once.

use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::thread;
use std::time::Duration;

use crate::mackerel::Reply;

/// The longest request head (request line and headers) read.
const MAX_HEAD: usize = 64 * 1024;
/// The largest request body read (fault rules are a few lines).
const MAX_BODY: usize = 1024 * 1024;
/// An idle keep-alive connection is closed after this long.
const IDLE: Duration = Duration::from_secs(60);

/// A request as the handler sees it.
pub struct Request {
    pub method: String,
    /// Path and query, as sent.
    pub target: String,
    /// Header names in lower case, with their values.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// The value of header `name` (lower case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// Answers every connection on `listener` with `handler`, each on its own
/// thread; returns only if accepting fails for good.
pub fn serve(listener: TcpListener, handler: Arc<dyn Fn(&Request) -> Reply + Send + Sync>) {
    for stream in listener.incoming() {
        let Ok(stream) = stream else {
            continue;
        };
        let handler = Arc::clone(&handler);
        thread::spawn(move || {
            // The client may go away at any point; nothing to do about it.
            let _ = connection(stream, &*handler);
        });
    }
}

fn connection(
    stream: TcpStream,
    handler: &(dyn Fn(&Request) -> Reply + Send + Sync),
) -> io::Result<()> {
    stream.set_read_timeout(Some(IDLE))?;
    let _ = stream.set_nodelay(true);
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    loop {
        let (request, keep_alive) = match read_request(&mut reader) {
            Ok(Some(parsed)) => parsed,
            Ok(None) => return Ok(()),
            Err(e) if e.kind() == io::ErrorKind::InvalidData => {
                let reply = Reply::error(400, &format!("Bad request: {e}"));
                return write_reply(&mut writer, &reply, false);
            }
            Err(e) => return Err(e),
        };
        let reply = handler(&request);
        write_reply(&mut writer, &reply, keep_alive)?;
        if !keep_alive {
            return Ok(());
        }
    }
}

fn bad(message: &str) -> io::Error {
    io::Error::new(io::ErrorKind::InvalidData, message.to_string())
}

/// The next request on the connection and whether the connection stays
/// open after it; None when the client closed it.
fn read_request(reader: &mut impl BufRead) -> io::Result<Option<(Request, bool)>> {
    let mut head = Vec::new();
    loop {
        let before = head.len();
        let read = reader
            .by_ref()
            .take((MAX_HEAD - before) as u64 + 1)
            .read_until(b'\n', &mut head)?;
        if read == 0 {
            return if head.is_empty() {
                Ok(None)
            } else {
                Err(bad("the request ends inside its head"))
            };
        }
        if head.len() > MAX_HEAD {
            return Err(bad("the request head is too long"));
        }
        // Blank lines before a request are allowed; a blank line after one ends the head.
        let line = &head[before..];
        if line == b"\r\n" || line == b"\n" {
            if before == 0 {
                head.clear();
                continue;
            }
            break;
        }
    }
    let head = std::str::from_utf8(&head).map_err(|_| bad("the request head is not UTF-8"))?;
    let mut lines = head.lines();
    let mut parts = lines.next().unwrap_or("").split_whitespace();
    let (Some(method), Some(target), Some(version)) = (parts.next(), parts.next(), parts.next())
    else {
        return Err(bad("the request line is not METHOD TARGET VERSION"));
    };
    if !matches!(version, "HTTP/1.1" | "HTTP/1.0") {
        return Err(bad("only HTTP/1.0 and HTTP/1.1 are served"));
    }
    let mut length = 0usize;
    let mut keep_alive = version == "HTTP/1.1";
    let mut headers = Vec::new();
    for line in lines.filter(|l| !l.is_empty()) {
        let Some((name, value)) = line.split_once(':') else {
            return Err(bad("a header line has no colon"));
        };
        let value = value.trim();
        headers.push((name.trim().to_ascii_lowercase(), value.to_string()));
        if name.eq_ignore_ascii_case("content-length") {
            length = value
                .parse()
                .map_err(|_| bad("Content-Length is not a number"))?;
        } else if name.eq_ignore_ascii_case("transfer-encoding") {
            return Err(bad("chunked request bodies are not served"));
        } else if name.eq_ignore_ascii_case("connection") {
            let value = value.to_ascii_lowercase();
            if value.contains("close") {
                keep_alive = false;
            } else if value.contains("keep-alive") {
                keep_alive = true;
            }
        }
    }
    if length > MAX_BODY {
        return Err(bad("the request body is too large"));
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    let request = Request {
        method: method.to_string(),
        target: target.to_string(),
        headers,
        body,
    };
    Ok(Some((request, keep_alive)))
}

fn write_reply(writer: &mut impl Write, reply: &Reply, keep_alive: bool) -> io::Result<()> {
    let head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nCache-Control: no-cache\r\nConnection: {}\r\n\r\n",
        reply.status,
        reason(reply.status),
        reply.content_type,
        reply.body.len(),
        if keep_alive { "keep-alive" } else { "close" },
    );
    writer.write_all(head.as_bytes())?;
    writer.write_all(&reply.body)?;
    writer.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(raw: &str) -> io::Result<Option<(Request, bool)>> {
        read_request(&mut io::Cursor::new(raw.as_bytes().to_vec()))
    }

    #[test]
    fn requests_are_read_with_their_body_and_keep_alive() {
        let (r, keep) =
            parse("POST /_faults HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nerror")
                .unwrap()
                .unwrap();
        assert_eq!(
            (
                r.method.as_str(),
                r.target.as_str(),
                r.body.as_slice(),
                keep
            ),
            ("POST", "/_faults", &b"error"[..], true)
        );
        let (_, keep) = parse("GET / HTTP/1.1\r\nConnection: close\r\n\r\n")
            .unwrap()
            .unwrap();
        assert!(!keep);
        let (_, keep) = parse("GET / HTTP/1.0\r\n\r\n").unwrap().unwrap();
        assert!(!keep);
        assert!(parse("").unwrap().is_none(), "the client closed");
    }

    #[test]
    fn malformed_requests_are_refused() {
        for raw in [
            "GET /\r\n\r\n",
            "GET / HTTP/2.0\r\n\r\n",
            "GET / HTTP/1.1\r\nNoColon\r\n\r\n",
            "GET / HTTP/1.1\r\nContent-Length: x\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x",
        ] {
            let e = parse(raw)
                .err()
                .unwrap_or_else(|| panic!("{raw:?} was accepted"));
            assert_eq!(e.kind(), io::ErrorKind::InvalidData, "{raw:?}: {e}");
        }
        let huge = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert!(parse(&huge).is_err());
    }

    #[test]
    fn a_reply_has_its_length_and_says_whether_the_connection_stays() {
        let mut out = Vec::new();
        write_reply(&mut out, &Reply::json(200, "{}".into()), true).unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.starts_with("HTTP/1.1 200 OK\r\n"));
        assert!(
            text.contains("Content-Length: 2\r\n") && text.contains("Connection: keep-alive\r\n")
        );
        assert!(text.ends_with("\r\n\r\n{}"));
    }
}
