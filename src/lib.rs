pub mod model;
pub mod net;
pub mod sources;
pub mod storage;
pub mod time;
