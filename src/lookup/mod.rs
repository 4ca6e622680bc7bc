//! Finding a resident's councils: UK postcodes (`postcode`), the answers of
//! the postcodes.io service (`postcodes_io`), and the council registry by
//! GSS code, kind and name (`councils`). Pure, so tested natively; the site
//! worker does the fetching and caching (`web::postcodes`).

pub mod councils;
pub mod postcode;
pub mod postcodes_io;
