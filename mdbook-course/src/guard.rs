//! Which files `{{#quiz}}` and `{{#lab}}` may read: regular files of at most [`MAX_FILE_BYTES`]
//! under the book folder or an allowed folder (by default `content/` beside the book), after
//! symbolic links and `..` are resolved. Anything else is refused before a byte is read, so a
//! directive cannot embed `/etc/passwd` or read `/dev/zero` until memory runs out.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::paths::normalise;

/// The largest quiz or lab file a directive may embed: 4 MiB, twice the largest quiz we measured
/// `check` on (2 MB, 15,000 questions).
pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;

/// The folders allowed by default besides the book folder, relative to it
/// (`[preprocessor.course] allowed-dirs` replaces this list).
pub const DEFAULT_ALLOWED_DIRS: [&str; 1] = ["../content"];

/// Why a directive's file was not read.
#[derive(Debug)]
pub enum Refusal {
    /// The file does not exist (or cannot be opened) inside an allowed folder.
    Unreadable(std::io::Error),
    /// The path, once resolved, leaves every allowed folder.
    Outside,
    /// A folder, device, pipe or socket.
    NotAFile,
    /// Larger than [`MAX_FILE_BYTES`]; holds the size found.
    TooLarge(u64),
}

impl Refusal {
    /// Why, for messages: "it is not a regular file".
    pub fn describe(&self) -> String {
        match self {
            Refusal::Unreadable(e) => format!("cannot read it: {e}"),
            Refusal::Outside => {
                "it resolves to a file outside the book folder and the allowed folders".to_owned()
            }
            Refusal::NotAFile => "it is not a regular file".to_owned(),
            Refusal::TooLarge(n) => format!(
                "it is {}, over the limit of {}",
                mib(*n),
                mib(MAX_FILE_BYTES)
            ),
        }
    }
}

/// The allowed folders of one book.
#[derive(Debug, Clone)]
pub struct Roots {
    /// Each folder as configured (absolute, `..` resolved), and canonicalised when it exists.
    dirs: Vec<(PathBuf, Option<PathBuf>)>,
}

impl Roots {
    /// The book folder `book_root` and `allowed` (relative to it; `None` for the default).
    pub fn new(book_root: &Path, allowed: Option<&[String]>) -> Self {
        let book_root = normalise(&std::path::absolute(book_root).unwrap_or(book_root.into()));
        let mut folders = vec![book_root.clone()];
        match allowed {
            Some(list) => folders.extend(list.iter().map(|d| normalise(&book_root.join(d)))),
            None => folders.extend(
                DEFAULT_ALLOWED_DIRS
                    .iter()
                    .map(|d| normalise(&book_root.join(d))),
            ),
        }
        let dirs = folders
            .into_iter()
            .map(|d| {
                let canonical = d.canonicalize().ok();
                (d, canonical)
            })
            .collect();
        Roots { dirs }
    }

    /// The allowed folders as configured, for messages.
    pub fn folders(&self) -> impl Iterator<Item = &Path> {
        self.dirs.iter().map(|(d, _)| d.as_path())
    }

    /// Reads `file` (absolute) if it is a regular file of at most [`MAX_FILE_BYTES`] inside an
    /// allowed folder once links and `..` are resolved.
    pub fn read(&self, file: &Path) -> Result<Vec<u8>, Refusal> {
        let lexical = normalise(file);
        let real = match lexical.canonicalize() {
            Ok(real) => real,
            // A missing file is named only when the path stays inside: nothing is told about
            // files elsewhere.
            Err(e) if self.dirs.iter().any(|(d, _)| lexical.starts_with(d)) => {
                return Err(Refusal::Unreadable(e))
            }
            Err(_) => return Err(Refusal::Outside),
        };
        if !self
            .dirs
            .iter()
            .any(|(_, c)| c.as_ref().is_some_and(|c| real.starts_with(c)))
        {
            return Err(Refusal::Outside);
        }
        let meta = std::fs::metadata(&real).map_err(Refusal::Unreadable)?;
        if !meta.is_file() {
            return Err(Refusal::NotAFile);
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(Refusal::TooLarge(meta.len()));
        }
        let mut bytes = Vec::with_capacity(meta.len() as usize);
        std::fs::File::open(&real)
            .and_then(|f| f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes))
            .map_err(Refusal::Unreadable)?;
        // The file may have grown since its size was read.
        if bytes.len() as u64 > MAX_FILE_BYTES {
            return Err(Refusal::TooLarge(bytes.len() as u64));
        }
        Ok(bytes)
    }
}

/// `4194305` → `4.0 MiB`; sizes for messages.
pub fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_inside_are_read_and_the_rest_refused() {
        let dir = tempfile::tempdir().unwrap();
        let book = dir.path().join("book");
        std::fs::create_dir_all(book.join("src")).unwrap();
        std::fs::create_dir_all(dir.path().join("content")).unwrap();
        std::fs::write(dir.path().join("content/q.toml"), "x").unwrap();
        std::fs::write(dir.path().join("secret.toml"), "x").unwrap();
        let roots = Roots::new(&book, None);
        let src = book.join("src");
        assert_eq!(roots.read(&src.join("../../content/q.toml")).unwrap(), b"x");
        assert!(matches!(
            roots.read(&src.join("../../secret.toml")),
            Err(Refusal::Outside)
        ));
        assert!(matches!(
            roots.read(&src.join("../../nothing.toml")),
            Err(Refusal::Outside)
        ));
        assert!(matches!(
            roots.read(&src.join("missing.toml")),
            Err(Refusal::Unreadable(_))
        ));
        assert!(matches!(roots.read(&src), Err(Refusal::NotAFile)));
        assert!(matches!(
            roots.read(Path::new("/dev/zero")),
            Err(Refusal::Outside)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_device_in_an_allowed_folder_is_not_a_file() {
        let roots = Roots::new(Path::new("/tmp"), Some(&["/dev".to_owned()]));
        assert!(matches!(
            roots.read(Path::new("/dev/zero")),
            Err(Refusal::NotAFile)
        ));
    }

    #[cfg(unix)]
    #[test]
    fn a_link_inside_that_points_outside_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let book = dir.path().join("book");
        std::fs::create_dir_all(&book).unwrap();
        std::fs::write(dir.path().join("secret.toml"), "x").unwrap();
        std::os::unix::fs::symlink(dir.path().join("secret.toml"), book.join("q.toml")).unwrap();
        std::os::unix::fs::symlink("/dev/zero", book.join("zero.toml")).unwrap();
        let roots = Roots::new(&book, Some(&[]));
        assert!(matches!(
            roots.read(&book.join("q.toml")),
            Err(Refusal::Outside)
        ));
        assert!(matches!(
            roots.read(&book.join("zero.toml")),
            Err(Refusal::Outside)
        ));
    }

    #[test]
    fn a_file_over_the_cap_is_refused_with_its_size() {
        let dir = tempfile::tempdir().unwrap();
        let big = dir.path().join("big.toml");
        std::fs::write(&big, vec![b'#'; MAX_FILE_BYTES as usize + 1]).unwrap();
        let roots = Roots::new(dir.path(), Some(&[]));
        assert!(matches!(
            roots.read(&big),
            Err(Refusal::TooLarge(n)) if n == MAX_FILE_BYTES + 1
        ));
    }
}
