//! Parsers for metrics API responses: raw response bytes in, columns out.
//! Every failure — an API error body, an HTML error page, a truncated or
//! malformed body, an empty series — becomes a `SourceError` a user can act on.

pub mod engines;
pub mod mackerel;
pub mod plan;
pub mod prometheus;
mod scan;
pub mod victoria;
pub mod wildcard;

use std::fmt;
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, Deserializer, SeqAccess, Visitor};
use serde::Deserialize;

use crate::limits::{Limit, LimitError};
use crate::series::SeriesError;

/// Why a response could not be turned into a series.
#[derive(Clone, Debug, PartialEq)]
pub enum SourceError {
    /// The API said what went wrong, in its own words.
    Api { status: u16, message: String },
    /// An error status with a body that is not the API's error shape.
    Http { status: u16 },
    /// An HTML page where JSON was expected: a proxy, login page or wrong URL.
    Html { status: u16 },
    /// The body stops before the JSON is complete.
    Truncated { detail: String },
    /// The body is not JSON, or not the JSON the API sends.
    Malformed { detail: String },
    /// The points could not form a series (empty, bad timestamps, …).
    Series(SeriesError),
    /// A number outside the core's limits (an HTTP status that is none).
    Limit(LimitError),
}

impl fmt::Display for SourceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SourceError::Api { status, message } => {
                write!(f, "the metrics API answered HTTP {status}: {message}")
            }
            SourceError::Http { status } => write!(
                f,
                "the metrics API answered HTTP {status} with a body that is not an API error"
            ),
            SourceError::Html { status } => write!(
                f,
                "the server answered HTTP {status} with an HTML page, not JSON; \
                 check the API URL or the proxy in front of it"
            ),
            SourceError::Truncated { detail } => {
                write!(
                    f,
                    "the response is truncated (it ends before the JSON is complete: {detail})"
                )
            }
            SourceError::Malformed { detail } => {
                write!(f, "the response is not the JSON the API sends: {detail}")
            }
            SourceError::Series(e) => write!(f, "{e}"),
            SourceError::Limit(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for SourceError {}

impl From<SeriesError> for SourceError {
    fn from(e: SeriesError) -> Self {
        SourceError::Series(e)
    }
}

/// `status` when it is an HTTP status (100 to 599).
fn check_status(status: u16) -> Result<u16, SourceError> {
    Limit::HttpStatus
        .check(f64::from(status))
        .map(|_| status)
        .map_err(SourceError::Limit)
}

/// True for HTTP statuses that carry a successful response.
fn is_success(status: u16) -> bool {
    (200..300).contains(&status)
}

/// The error for a body that serde_json could not read, told apart by cause.
fn json_error(status: u16, body: &[u8], e: serde_json::Error) -> SourceError {
    let starts_with_tag = body
        .iter()
        .find(|b| !b.is_ascii_whitespace())
        .is_some_and(|b| *b == b'<');
    if starts_with_tag {
        SourceError::Html { status }
    } else if !is_success(status) {
        SourceError::Http { status }
    } else if e.is_eof() {
        SourceError::Truncated {
            detail: e.to_string(),
        }
    } else {
        SourceError::Malformed {
            detail: e.to_string(),
        }
    }
}

/// One point of a response's array, as the API writes it.
trait JsonPoint: DeserializeOwned {
    /// What the array holds, for the error when it holds something else.
    const EXPECTING: &'static str;
    /// Epoch seconds and value (NaN for none).
    fn time_value(self) -> (f64, f64);
}

/// The points of a response's array as two columns: each point is read
/// into the columns as it streams past, so no object per point is kept.
struct Columns<P> {
    times: Vec<f64>,
    values: Vec<f64>,
    point: PhantomData<P>,
}

impl<'de, P: JsonPoint> Deserialize<'de> for Columns<P> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_seq(ColumnsVisitor(PhantomData))
    }
}

struct ColumnsVisitor<P>(PhantomData<P>);

impl<'de, P: JsonPoint> Visitor<'de> for ColumnsVisitor<P> {
    type Value = Columns<P>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str(P::EXPECTING)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Columns<P>, A::Error> {
        // Cap the hint: it comes from the input.
        let hint = seq.size_hint().unwrap_or(0).min(1 << 20);
        let mut columns = Columns {
            times: Vec::with_capacity(hint),
            values: Vec::with_capacity(hint),
            point: PhantomData,
        };
        while let Some(point) = seq.next_element::<P>()? {
            let (time, value) = point.time_value();
            columns.times.push(time);
            columns.values.push(value);
        }
        Ok(columns)
    }
}
