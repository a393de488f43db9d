pub mod list;
pub mod run;
pub mod validate;
