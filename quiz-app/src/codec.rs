//! The app's one data format: JSON, read and written with serde. In the browser the text goes
//! through the browser's own `JSON.parse`/`JSON.stringify` and serde-wasm-bindgen, so the bundle
//! carries no JSON parser; natively (the unit tests) through serde_json. Same text either way.

use serde::de::DeserializeOwned;
use serde::Serialize;

/// Reads `text` as a `T`; `Err` says what is wrong (not JSON, or which field does not fit).
pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    imp::from_str(text)
}

/// Whether `text` is JSON (checked by the browser's `JSON.parse`: no reader of ours).
pub fn is_json(text: &str) -> bool {
    imp::is_json(text)
}

/// `value` as compact JSON text.
pub fn to_string<T: Serialize>(value: &T) -> String {
    imp::to_string(value)
}

#[cfg(target_arch = "wasm32")]
mod imp {
    use serde::de::DeserializeOwned;
    use serde::Serialize;

    pub fn is_json(text: &str) -> bool {
        js_sys::JSON::parse(text).is_ok()
    }

    pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, String> {
        let value = js_sys::JSON::parse(text).map_err(|_| "it is not valid JSON".to_owned())?;
        serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
    }

    pub fn to_string<T: Serialize>(value: &T) -> String {
        // Maps as plain objects (not JS `Map`s) and 64-bit numbers as numbers, as JSON has them.
        let serializer = serde_wasm_bindgen::Serializer::json_compatible();
        value
            .serialize(&serializer)
            .ok()
            .and_then(|v| js_sys::JSON::stringify(&v).ok())
            .and_then(|s| s.as_string())
            .unwrap_or_default()
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    use serde::de::DeserializeOwned;
    use serde::Serialize;

    pub fn is_json(text: &str) -> bool {
        serde_json::from_str::<serde_json::Value>(text).is_ok()
    }

    pub fn from_str<T: DeserializeOwned>(text: &str) -> Result<T, String> {
        let value: serde_json::Value =
            serde_json::from_str(text).map_err(|_| "it is not valid JSON".to_owned())?;
        serde_json::from_value(value).map_err(|e| e.to_string())
    }

    pub fn to_string<T: Serialize>(value: &T) -> String {
        serde_json::to_string(value).unwrap_or_default()
    }
}
