//! What a handler answers: a status, a content type and a body, built from
//! serde values. Every answer of the demo API goes through here, so every
//! one is `no-cache` and JSON is always written by serde.

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

/// A response: status, content type and body.
#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub content_type: &'static str,
    pub body: Vec<u8>,
}

pub const JSON: &str = "application/json";

impl Reply {
    /// `value` as JSON.
    pub fn json(status: u16, value: &impl Serialize) -> Reply {
        match serde_json::to_vec(value) {
            Ok(body) => Reply::json_bytes(status, body),
            // Only a map with non-string keys fails, and none is written here.
            Err(e) => Reply::error(500, &format!("the answer could not be written: {e}")),
        }
    }

    /// A body already in JSON (the proxy passes the upstream's on).
    pub fn json_bytes(status: u16, body: Vec<u8>) -> Reply {
        Reply {
            status,
            content_type: JSON,
            body,
        }
    }

    /// An empty answer (`204`).
    pub fn empty(status: u16) -> Reply {
        Reply::json_bytes(status, Vec::new())
    }

    /// Mackerel's error shape: `{"error":{"message":…}}`.
    pub fn error(status: u16, message: &str) -> Reply {
        #[derive(Serialize)]
        struct Message<'a> {
            message: &'a str,
        }
        #[derive(Serialize)]
        struct Error<'a> {
            error: Message<'a>,
        }
        let body = Error {
            error: Message { message },
        };
        // A struct of strings always serialises.
        Reply::json_bytes(status, serde_json::to_vec(&body).unwrap_or_default())
    }

    #[cfg(test)]
    pub fn text(&self) -> &str {
        std::str::from_utf8(&self.body).unwrap_or("")
    }
}

impl IntoResponse for Reply {
    fn into_response(self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::BAD_GATEWAY);
        (
            status,
            [
                (
                    header::CONTENT_TYPE,
                    HeaderValue::from_static(self.content_type),
                ),
                (header::CACHE_CONTROL, HeaderValue::from_static("no-cache")),
            ],
            self.body,
        )
            .into_response()
    }
}
