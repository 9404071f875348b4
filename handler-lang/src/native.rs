//! Host functions: the type of a function the host registers with the engine, and the error one
//! returns for arguments it does not take (the built-ins return it too).

use std::rc::Rc;

use super::error::{Error, ErrorKind};
use super::pos::Pos;
use super::value::Value;

/// A host function: it gets the arguments (the receiver first for `x.f(...)`) and returns a value
/// or an error. A host function given arguments it does not take returns [`mismatch`].
pub type NativeFn = Rc<dyn Fn(&mut [Value]) -> Result<Value, Error>>;

/// The error a host function returns for arguments it does not take: the caller reports it as
/// `f (types) is not defined`.
pub fn mismatch() -> Error {
    Error::new(ErrorKind::FnNotFound(String::new()), Pos::NONE)
}
