//! PAN XML: `<document reference="suspicious-documentNNNNN.txt">` with
//! `<feature name=".." this_offset=".." this_length=".." source_reference=".."
//! source_offset=".." source_length=".."/>` children; offsets in characters.

use std::io::Write;
use std::path::Path;

use quick_xml::Reader;
use quick_xml::events::Event;

use crate::{Detection, Error};

/// One annotation (a case or a detection) of a document pair.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Annotation {
    /// The suspicious document's name.
    pub suspect_doc: String,
    /// First character in the suspicious document.
    pub this_offset: usize,
    /// Length in characters in the suspicious document.
    pub this_length: usize,
    /// The source document's name.
    pub source_doc: String,
    /// First character in the source document.
    pub source_offset: usize,
    /// Length in characters in the source document.
    pub source_length: usize,
}

impl Annotation {
    /// An annotation.
    pub fn new(
        suspect_doc: &str,
        this_offset: usize,
        this_length: usize,
        source_doc: &str,
        source_offset: usize,
        source_length: usize,
    ) -> Annotation {
        Annotation {
            suspect_doc: suspect_doc.to_string(),
            this_offset,
            this_length,
            source_doc: source_doc.to_string(),
            source_offset,
            source_length,
        }
    }
}

/// Reads the features named `name` (`plagiarism` in truth files,
/// `detected-plagiarism` in detections) of one PAN XML file. Features with
/// missing or non-numeric offsets are skipped.
pub fn read_annotations(path: &Path, name: &str) -> Result<Vec<Annotation>, Error> {
    let text = std::fs::read_to_string(path).map_err(|e| Error::io(path, e))?;
    parse(&text, name).map_err(|message| Error::Xml { path: path.to_path_buf(), message })
}

fn parse(text: &str, name: &str) -> Result<Vec<Annotation>, String> {
    let mut reader = Reader::from_str(text);
    let mut reference = String::new();
    let mut out = Vec::new();
    let mut saw_document = false;
    loop {
        match reader.read_event().map_err(|e| e.to_string())? {
            Event::Start(e) | Event::Empty(e) => {
                let tag = e.name();
                let mut attrs = std::collections::HashMap::new();
                for a in e.attributes() {
                    let a = a.map_err(|e| e.to_string())?;
                    let v = a.unescape_value().map_err(|e| e.to_string())?.into_owned();
                    attrs.insert(String::from_utf8_lossy(a.key.as_ref()).into_owned(), v);
                }
                if tag.as_ref() == b"document" {
                    saw_document = true;
                    reference = attrs.remove("reference").unwrap_or_default();
                } else if tag.as_ref() == b"feature"
                    && attrs.get("name").map(String::as_str) == Some(name)
                {
                    let num = |k: &str| attrs.get(k).and_then(|v| v.trim().parse::<usize>().ok());
                    if let (Some(to), Some(tl), Some(so), Some(sl)) = (
                        num("this_offset"),
                        num("this_length"),
                        num("source_offset"),
                        num("source_length"),
                    ) {
                        out.push(Annotation {
                            suspect_doc: reference.clone(),
                            this_offset: to,
                            this_length: tl,
                            source_doc: attrs.get("source_reference").cloned().unwrap_or_default(),
                            source_offset: so,
                            source_length: sl,
                        });
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if !saw_document {
        return Err("no <document> element".to_string());
    }
    Ok(out)
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use unspin::CharRange;

    #[test]
    fn round_trip() {
        let d = Detection {
            suspect: CharRange { start: 5, end: 20 },
            source: CharRange { start: 7, end: 30 },
        };
        let mut buf = Vec::new();
        write(&mut buf, "s&1.txt", "r.txt", &[d]).expect("write");
        let text = String::from_utf8(buf).expect("utf8");
        let got = parse(&text, "detected-plagiarism").expect("parse");
        assert_eq!(got, [Annotation::new("s&1.txt", 5, 15, "r.txt", 7, 23)]);
    }

    #[test]
    fn malformed() {
        assert!(parse("<document reference=\"a\"><feature name=", "plagiarism").is_err());
        assert!(parse("just text", "plagiarism").is_err());
    }
}
