//! PAN XML: one `<document>` per pair with `<feature>`s.

use std::io::Write;

use crate::Detection;

/// Writes the detections of one pair in the PAN/TIRA format.
pub fn write(
    out: &mut dyn Write,
    suspect_name: &str,
    source_name: &str,
    detections: &[Detection],
) -> std::io::Result<()> {
    let esc = |s: &str| quick_xml::escape::escape(s).into_owned();
    writeln!(out, "<document reference=\"{}\">", esc(suspect_name))?;
    for d in detections {
        writeln!(
            out,
            "<feature name=\"detected-plagiarism\" this_offset=\"{}\" this_length=\"{}\" source_reference=\"{}\" source_offset=\"{}\" source_length=\"{}\"/>",
            d.suspect.start,
            d.suspect.end - d.suspect.start,
            esc(source_name),
            d.source.start,
            d.source.end - d.source.start
        )?;
    }
    writeln!(out, "</document>")
}
