use std::io::Read;
use std::path::Path;

use anyhow::{Context, anyhow};

/// Reads a text from a path (or standard input for `-`), checking it the way
/// `unspin_text::decode` does; the error names the file and the problem.
pub fn read(path: &Path, max_bytes: usize) -> anyhow::Result<String> {
    let name = path.display().to_string();
    let bytes = if name == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .lock()
            .take(max_bytes as u64 + 1)
            .read_to_end(&mut buf)
            .context("standard input: cannot read")?;
        buf
    } else {
        let meta = std::fs::metadata(path).map_err(|e| anyhow!("{name}: {}", io_problem(&e)))?;
        if meta.is_dir() {
            return Err(anyhow!("{name}: is a directory, not a text file"));
        }
        if meta.len() > max_bytes as u64 {
            return Err(anyhow!(
                "{name}: is {} bytes, over the limit of {max_bytes} bytes (see --max-bytes)",
                meta.len()
            ));
        }
        // Read no more than the limit allows: a device or a pipe has no
        // length to check first (/dev/zero would be read forever).
        let mut buf = Vec::with_capacity(meta.len() as usize);
        std::fs::File::open(path)
            .and_then(|f| f.take(max_bytes as u64 + 1).read_to_end(&mut buf))
            .map_err(|e| anyhow!("{name}: {}", io_problem(&e)))?;
        if buf.len() > max_bytes {
            return Err(anyhow!(
                "{name}: is more than {max_bytes} bytes, over the limit (see --max-bytes)"
            ));
        }
        buf
    };
    let label = if name == "-" { "standard input" } else { name.as_str() };
    let text =
        unspin::text::decode(&bytes, Some(max_bytes)).map_err(|e| anyhow!("{label}: {e}"))?;
    Ok(text.to_string())
}

fn io_problem(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        _ => e.to_string(),
    }
}
