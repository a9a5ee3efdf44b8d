//! Renders a `Report` as text (an inline diff, a summary, the substitution
//! list) or as one self-contained HTML page.

use std::collections::BTreeMap;
use std::io::{self, IsTerminal, Write};

use unspin::{Report, SubstitutionReport};

/// Writes `value` as pretty JSON and a newline.
pub fn json<T: serde::Serialize>(out: &mut dyn Write, value: &T) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    writeln!(out)
}

/// Colour only on a terminal, and never with `NO_COLOR` set.
pub fn use_color() -> bool {
    std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none()
}

/// Splits `text` at character offsets, once (offsets ascending).
struct CharCursor<'a> {
    text: &'a str,
    byte: usize,
    chr: usize,
}

impl<'a> CharCursor<'a> {
    fn new(text: &'a str) -> CharCursor<'a> {
        CharCursor { text, byte: 0, chr: 0 }
    }

    /// The text from the cursor up to character `to`, advancing the cursor.
    fn take_to(&mut self, to: usize) -> &'a str {
        let start = self.byte;
        let mut it = self.text[start..].char_indices();
        while self.chr < to {
            match it.next() {
                Some(_) => {
                    self.chr += 1;
                    self.byte = start + it.offset();
                }
                None => break,
            }
        }
        &self.text[start..self.byte]
    }
}

/// Which side of an inline mark the text's own words are on.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// The text is the old side: `[-as written-]{+replacement+}`
    /// (`restore`, `score`).
    Old,
    /// The text is the new side: `[-original-]{+as written+}` (`compare`,
    /// whose text is the suspect).
    New,
}

/// Writes `text` with each of `marks` (character offsets `start..end` and
/// what stands for them on the other side) in place, the old words as
/// `[-old-]` and the new as `{+new+}`, the text's own words on the side
/// `written` says; in text order, coloured if `color`; a mark that
/// overlaps one before it is left out. Ends with a newline.
pub fn inline<'a>(
    out: &mut dyn Write,
    text: &str,
    marks: impl IntoIterator<Item = (usize, usize, &'a str)>,
    written: Written,
    color: bool,
) -> io::Result<()> {
    let (red, green, reset) =
        if color { ("\x1b[31;9m", "\x1b[32m", "\x1b[0m") } else { ("", "", "") };
    let mut marks: Vec<(usize, usize, &str)> = marks.into_iter().collect();
    marks.sort_by_key(|&(start, end, _)| (start, end));
    let mut cur = CharCursor::new(text);
    for (start, end, other) in marks {
        if start < cur.chr {
            continue;
        }
        out.write_all(cur.take_to(start).as_bytes())?;
        let own = cur.take_to(end);
        let (old, new) = match written {
            Written::Old => (own, other),
            Written::New => (other, own),
        };
        if !old.is_empty() {
            write!(out, "{red}[-{old}-]{reset}")?;
        }
        if !new.is_empty() {
            write!(out, "{green}{{+{new}+}}{reset}")?;
        }
    }
    out.write_all(cur.take_to(usize::MAX).as_bytes())?;
    if !text.ends_with('\n') {
        writeln!(out)?;
    }
    Ok(())
}

/// The text report.
pub fn text(out: &mut dyn Write, suspect: &str, report: &Report, color: bool) -> io::Result<()> {
    let (bold, reset) = if color { ("\x1b[1m", "\x1b[0m") } else { ("", "") };
    let subs = report.substitutions.iter();
    let marks = subs.map(|s| (s.suspect.start, s.suspect.end, s.source.text.as_str()));
    inline(out, suspect, marks, Written::New, color)?;
    let st = &report.stats;
    writeln!(out)?;
    writeln!(
        out,
        "{bold}verdict:{reset} {}   {bold}spin score:{reset} {:.2}",
        report.verdict, report.spin_score
    )?;
    writeln!(
        out,
        "passages: {}   source tokens: {}   suspect tokens: {}   aligned: {}   substituted: {}",
        report.passages.len(),
        st.source_tokens,
        st.suspect_tokens,
        st.aligned_tokens,
        st.substituted_tokens
    )?;
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    for s in &report.substitutions {
        *by_kind.entry(s.kind.as_str()).or_default() += 1;
    }
    let kinds: Vec<String> = by_kind.iter().map(|(k, n)| format!("{k} {n}")).collect();
    writeln!(out, "substitutions: {} ({})", report.substitutions.len(), kinds.join(", "))?;
    if !report.substitutions.is_empty() {
        writeln!(out)?;
    }
    for (n, s) in report.substitutions.iter().enumerate() {
        writeln!(
            out,
            "{:>4}  {:<13}  {:?} -> {:?}  (source {}..{}, suspect {}..{})",
            n + 1,
            s.kind.as_str(),
            s.source.text,
            s.suspect.text,
            s.source.start,
            s.source.end,
            s.suspect.start,
            s.suspect.end
        )?;
    }
    Ok(())
}

fn escape(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            '\'' => o.push_str("&#39;"),
            _ => o.push(c),
        }
    }
    o
}

/// Marks the substitutions in one side's text; `side` picks the range.
fn marked(text: &str, report: &Report, source_side: bool) -> String {
    let mut subs: Vec<(usize, &SubstitutionReport)> =
        report.substitutions.iter().enumerate().collect();
    let range = |s: &SubstitutionReport| {
        if source_side { (s.source.start, s.source.end) } else { (s.suspect.start, s.suspect.end) }
    };
    subs.sort_by_key(|(_, s)| range(s));
    let mut cur = CharCursor::new(text);
    let mut html = String::new();
    for (n, s) in subs {
        let (a, b) = range(s);
        if a < cur.chr || a == b {
            continue;
        }
        html.push_str(&escape(cur.take_to(a)));
        let inner = escape(cur.take_to(b));
        html.push_str(&format!(
            "<a class=\"sub k-{k}\" href=\"#r{n}\" id=\"{side}{n}\" title=\"{k}\">{inner}</a>",
            k = s.kind.as_str(),
            side = if source_side { "a" } else { "b" },
        ));
    }
    html.push_str(&escape(cur.take_to(usize::MAX)));
    html
}

/// One self-contained HTML page: source and suspect side by side,
/// substitutions highlighted and linked to a table.
pub fn html(out: &mut dyn Write, source: &str, suspect: &str, report: &Report) -> io::Result<()> {
    let st = &report.stats;
    let mut rows = String::new();
    for (n, s) in report.substitutions.iter().enumerate() {
        rows.push_str(&format!(
            "<tr id=\"r{n}\"><td>{}</td><td class=\"k-{k}\">{k}</td><td><a href=\"#a{n}\">{}</a></td><td><a href=\"#b{n}\">{}</a></td><td>{}..{}</td><td>{}..{}</td></tr>\n",
            n + 1,
            escape(&s.source.text),
            escape(&s.suspect.text),
            s.source.start,
            s.source.end,
            s.suspect.start,
            s.suspect.end,
            k = s.kind.as_str(),
        ));
    }
    write!(
        out,
        r#"<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>unspin: {verdict}</title>
<style>
body{{font-family:system-ui,sans-serif;margin:1.5em;color:#222}}
.cols{{display:grid;grid-template-columns:1fr 1fr;gap:1.5em}}
.text{{white-space:pre-wrap;line-height:1.5;border:1px solid #ddd;padding:1em;border-radius:6px}}
a.sub{{text-decoration:none;color:inherit;border-radius:3px;padding:0 1px}}
.k-synonym{{background:#ffe9a8}} .k-broken-term{{background:#ffb3b3}} .k-function-word{{background:#d6e4ff}}
.k-format{{background:#e3e3e3}} .k-insertion{{background:#c8f7c5}} .k-deletion{{background:#f7c5e0}} .k-rewrite{{background:#ffd0a1}}
table{{border-collapse:collapse;margin-top:1.5em}} td,th{{border:1px solid #ddd;padding:2px 8px;text-align:left}}
tr:target,a.sub:target{{outline:2px solid #e33}}
</style></head><body>
<h1>unspin compare</h1>
<p><b>verdict:</b> {verdict} &nbsp; <b>spin score:</b> {score:.2} &nbsp; <b>passages:</b> {np} &nbsp;
<b>tokens:</b> source {src_t}, suspect {sus_t}, aligned {al}, substituted {sb}</p>
<div class="cols"><div><h2>Source</h2><div class="text">{left}</div></div>
<div><h2>Suspect</h2><div class="text">{right}</div></div></div>
<h2>Substitutions ({nsubs})</h2>
<table><tr><th>#</th><th>kind</th><th>source</th><th>suspect</th><th>source chars</th><th>suspect chars</th></tr>
{rows}</table>
</body></html>
"#,
        verdict = report.verdict,
        score = report.spin_score,
        np = report.passages.len(),
        src_t = st.source_tokens,
        sus_t = st.suspect_tokens,
        al = st.aligned_tokens,
        sb = st.substituted_tokens,
        left = marked(source, report, true),
        right = marked(suspect, report, false),
        nsubs = report.substitutions.len(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inlined(text: &str, marks: Vec<(usize, usize, &str)>, color: bool) -> String {
        let mut out = Vec::new();
        inline(&mut out, text, marks, Written::Old, color).expect("written");
        String::from_utf8(out).expect("utf-8")
    }

    #[test]
    fn marks_go_in_place_by_characters_in_text_order() {
        // Character offsets, not bytes: "é" is two bytes.
        let text = "Un résidentiel puppy, the pooch.";
        let marks = vec![(26, 31, "dog"), (3, 14, "domestic"), (15, 20, "dog")];
        assert_eq!(
            inlined(text, marks, false),
            "Un [-résidentiel-]{+domestic+} [-puppy-]{+dog+}, the [-pooch-]{+dog+}.\n"
        );
    }

    #[test]
    fn an_overlapping_mark_is_left_out_and_colour_is_asked_for() {
        let marks = vec![(0, 9, "x"), (4, 9, "y")];
        assert_eq!(inlined("the pooch\n", marks.clone(), false), "[-the pooch-]{+x+}\n");
        let coloured = inlined("the pooch\n", marks, true);
        assert_eq!(coloured, "\x1b[31;9m[-the pooch-]\x1b[0m\x1b[32m{+x+}\x1b[0m\n");
        // No marks: the text as it is, with its last newline.
        assert_eq!(inlined("as is", Vec::new(), false), "as is\n");
        // An insertion only, or a deletion only.
        assert_eq!(inlined("ab", vec![(1, 1, "X"), (1, 2, "")], false), "a{+X+}[-b-]\n");
    }
}
