//! Dumps per-passage features of the aligner on PAN pairs (for choosing the
//! passage layer's thresholds): pairs src_dir susp_dir > tsv
use rayon::prelude::*;
use unspin::align::{AlignOp, Passage};
use unspin::text::TokenizedText;

fn feats(src: &TokenizedText<'_>, sus: &TokenizedText<'_>, p: &Passage) -> String {
    let content = |t: &unspin::text::Token| t.is_wordlike() && !t.is_function_word();
    let ceq: usize = p
        .ops
        .iter()
        .filter_map(|o| match *o {
            AlignOp::Equal { suspect, len, .. } => {
                Some((suspect..suspect + len).filter(|&k| content(&sus.tokens()[k])).count())
            }
            _ => None,
        })
        .sum();
    let cs = p.suspect.clone().filter(|&k| content(&sus.tokens()[k])).count();
    let cr = p.source.clone().filter(|&k| content(&src.tokens()[k])).count();
    let t = sus.tokens();
    let r = src.tokens();
    format!(
        "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
        t[p.suspect.start].char_start(),
        t[p.suspect.end - 1].char_end(),
        r[p.source.start].char_start(),
        r[p.source.end - 1].char_end(),
        ceq,
        cs,
        cr,
        p.equal_tokens(),
        p.suspect.len(),
        p.source.len()
    )
}

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let (pairs, src, susp) = (&a[1], &a[2], &a[3]);
    let cmp = unspin::Comparer::new();
    let lines: Vec<String> =
        std::fs::read_to_string(pairs).expect("pairs").lines().map(String::from).collect();
    let out: Vec<String> = lines
        .par_iter()
        .flat_map(|l| {
            let mut it = l.split_whitespace();
            let (s, r) = (it.next().unwrap_or(""), it.next().unwrap_or(""));
            let st = std::fs::read_to_string(format!("{susp}/{s}")).unwrap_or_default();
            let rt = std::fs::read_to_string(format!("{src}/{r}")).unwrap_or_default();
            let (ts, tr) = (cmp.tokenizer().tokenize(&st), cmp.tokenizer().tokenize(&rt));
            let ps = cmp.align(&tr, &ts);
            ps.iter().map(|p| format!("{s}\t{r}\t{}", feats(&tr, &ts, p))).collect::<Vec<_>>()
        })
        .collect();
    for l in out {
        println!("{l}");
    }
}
