//! Axis ticks: where they go and what they say. Ticks are chosen from a
//! minimum pixel spacing and tables of increments, not from a tick count.

pub(crate) mod calendar;
pub mod time_ticks;
pub mod value_ticks;
