//! What a quiz page and a lab page load of ours, raw and gzipped, and the budgets they must meet.
//!
//! Sizes are measured on the built site (`book/build`), so they are deterministic: the same build
//! gives the same numbers, and tests may assert the budgets.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use flate2::write::GzEncoder;
use flate2::Compression;

/// A page with quizzes and no lab loads at most this many gzip bytes of our WASM + JS.
pub const QUIZ_PAGE_BUDGET_GZIP: u64 = 175_000;
/// A page with a lab loads at most this many gzip bytes of our WASM + JS.
pub const LAB_PAGE_BUDGET_GZIP: u64 = 450_000;

/// The kinds of page whose weight we budget.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    /// A page with quizzes and no lab: loads the quiz bundle.
    Quiz,
    /// The progress overview: loads the progress bundle (the overview, with export and import).
    Progress,
    /// A page with a lab: loads the lab bundle, which also plays quizzes.
    Lab,
}

impl Page {
    /// Every kind of page, in the order they are built and reported.
    pub const ALL: [Page; 3] = [Page::Quiz, Page::Progress, Page::Lab];

    /// The cargo features of its bundle.
    pub fn features(self) -> &'static str {
        match self {
            Page::Quiz => "quiz",
            Page::Progress => "progress",
            Page::Lab => "lab",
        }
    }

    /// The bundle's file stem under `course/pkg/`.
    pub fn bundle(self) -> &'static str {
        match self {
            Page::Quiz => "course_quiz",
            Page::Progress => "course_progress",
            Page::Lab => "course_lab",
        }
    }

    /// The cargo features of its bundle with learner records (xAPI) on.
    pub fn features_with_records(self) -> String {
        format!("{},xapi", self.features())
    }

    /// The file stem of its bundle with learner records on, which the loader fetches instead
    /// on a page where records are on (book.toml's `[preprocessor.course.xapi] endpoint`, or a
    /// cmi5 launch).
    pub fn bundle_with_records(self) -> String {
        format!("{}_xapi", self.bundle())
    }

    /// Its budget in gzip bytes.
    pub fn budget_gzip(self) -> u64 {
        match self {
            Page::Quiz | Page::Progress => QUIZ_PAGE_BUDGET_GZIP,
            Page::Lab => LAB_PAGE_BUDGET_GZIP,
        }
    }
}

/// One file a page loads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSize {
    /// Relative to the site root.
    pub path: String,
    /// Bytes on disk.
    pub raw: u64,
    /// Bytes after gzip at level 9, what a static host typically serves.
    pub gzip: u64,
}

/// The files of ours that `page` loads in the built `site`: the loader, the bundle's JS glue and WASM.
pub fn page_files(site: &Path, page: Page) -> Result<Vec<PathBuf>> {
    page_files_of(site, page.bundle())
}

/// The files a page loads when it loads the bundle `bundle` (e.g. `course_quiz_xapi`).
fn page_files_of(site: &Path, bundle: &str) -> Result<Vec<PathBuf>> {
    let course = site.join("course");
    let loader = std::fs::read_dir(&course)
        .with_context(|| format!("reading {}", course.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .find(|p| {
            let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
            name.starts_with("loader") && name.ends_with(".js")
        })
        .with_context(|| format!("no loader*.js in {}", course.display()))?;
    let pkg = course.join("pkg");
    Ok(vec![
        loader,
        pkg.join(format!("{bundle}.js")),
        pkg.join(format!("{bundle}_bg.wasm")),
    ])
}

/// Measures `page`'s files in `site`.
pub fn measure(site: &Path, page: Page) -> Result<Vec<FileSize>> {
    measure_files(site, page_files(site, page)?)
}

/// The total gzip bytes `page` loads where learner records are on (the `*_xapi` bundle).
pub fn page_weight_gzip_with_records(site: &Path, page: Page) -> Result<u64> {
    Ok(
        measure_files(site, page_files_of(site, &page.bundle_with_records())?)?
            .iter()
            .map(|f| f.gzip)
            .sum(),
    )
}

fn measure_files(site: &Path, files: Vec<PathBuf>) -> Result<Vec<FileSize>> {
    files
        .into_iter()
        .map(|path| {
            let bytes =
                std::fs::read(&path).with_context(|| format!("reading {}", path.display()))?;
            let mut gz = GzEncoder::new(Vec::new(), Compression::best());
            gz.write_all(&bytes)?;
            let gzip = gz.finish()?.len() as u64;
            let rel = path.strip_prefix(site).unwrap_or(&path);
            Ok(FileSize {
                path: rel.display().to_string(),
                raw: bytes.len() as u64,
                gzip,
            })
        })
        .collect()
}

/// The total gzip bytes `page` loads.
pub fn page_weight_gzip(site: &Path, page: Page) -> Result<u64> {
    Ok(measure(site, page)?.iter().map(|f| f.gzip).sum())
}

/// The table `cargo xtask size` prints.
pub fn report(site: &Path) -> Result<String> {
    let mut out = String::new();
    for page in Page::ALL {
        let files = measure(site, page)?;
        writeln!(out, "{page:?} page")?;
        writeln!(out, "  {:<36} {:>10} {:>10}", "file", "raw", "gzip")?;
        for f in &files {
            writeln!(out, "  {:<36} {:>10} {:>10}", f.path, f.raw, f.gzip)?;
        }
        let raw: u64 = files.iter().map(|f| f.raw).sum();
        let gzip: u64 = files.iter().map(|f| f.gzip).sum();
        let budget = page.budget_gzip();
        let verdict = if gzip <= budget { "within" } else { "OVER" };
        writeln!(
            out,
            "  {:<36} {raw:>10} {gzip:>10}  ({verdict} the {budget}-byte gzip budget)",
            "total"
        )?;
        let with_records = page_weight_gzip_with_records(site, page)?;
        writeln!(
            out,
            "  {:<36} {:>10} {with_records:>10}  (where learner records are on: {})\n",
            "total with records (xAPI)",
            "",
            page.bundle_with_records()
        )?;
    }
    Ok(out)
}
