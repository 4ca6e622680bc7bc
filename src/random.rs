//! Randomness from the platform's CSPRNG (`crypto.getRandomValues`).

/// 32 random bytes for a signing secret, from the platform's CSPRNG.
pub fn random_secret() -> std::result::Result<[u8; 32], String> {
    let mut bytes = [0u8; 32];
    let crypto = worker::js_sys::Reflect::get(&worker::js_sys::global(), &"crypto".into())
        .map_err(|_| "no crypto in this runtime".to_string())?;
    let array = worker::js_sys::Uint8Array::new_with_length(32);
    let get_random = worker::js_sys::Reflect::get(&crypto, &"getRandomValues".into())
        .map_err(|_| "no getRandomValues".to_string())?;
    let function: worker::js_sys::Function = get_random.into();
    function.call1(&crypto, &array).map_err(|_| "getRandomValues failed".to_string())?;
    array.copy_to(&mut bytes);
    Ok(bytes)
}
