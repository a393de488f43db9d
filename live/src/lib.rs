//! ttx-live: the live exercise server.

pub mod board;
pub mod clock;
pub mod feed;
pub mod journal;
pub mod pages;
pub mod roles;
pub mod view;
