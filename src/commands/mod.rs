pub mod batch;
pub mod compare;
pub mod init;
pub mod list;
pub mod msel;
pub mod run;
pub mod score;
pub mod validate;
