//! `unspin scan` figures: every BBC article and synthetic spins of some of
//! them in one index; how many of the planted pairs `scan` reports, what
//! else it reports, and how often it tells the original from the spin.

use std::collections::{BTreeMap, HashMap};
use std::path::Path;
use std::time::Instant;

use anyhow::bail;
use rayon::prelude::*;
use unspin::index::{Document, Index};
use unspin::{ScanOptions, Verdict};
use unspin_testkit::{Obfuscation, Rng, obfuscate};

pub fn run(data: &Path, spins: usize) -> anyhow::Result<()> {
    if !data.join("bbc-news").is_dir() {
        bail!("{}: shared data not found (evaluations need ../shared/data)", data.display());
    }
    let bbc = crate::bbc_articles(&data.join("bbc-news"))?;
    let mut rng = Rng::new(11);
    // Random ids, so that id order says nothing about which is the spin.
    let id = |rng: &mut Rng| format!("d{:012x}", rng.next_u64() >> 16);
    let mut docs: Vec<Document> = Vec::new();
    let mut original_id: Vec<String> = Vec::new();
    for text in &bbc {
        let i = id(&mut rng);
        original_id.push(i.clone());
        docs.push(Document::new(&i, text));
    }
    // Planted pairs: spun id -> original id (BBC holds exact duplicates;
    // a spin paired with a duplicate of its original counts as found).
    let mut planted: HashMap<String, String> = HashMap::new();
    let text_of: HashMap<String, usize> =
        original_id.iter().enumerate().map(|(k, i)| (i.clone(), k)).collect();
    for n in 0..spins {
        let k = rng.below(bbc.len());
        let swap = [0.2, 0.3, 0.4][n % 3];
        let spun = obfuscate(&bbc[k], &Obfuscation::spinner(swap), n as u64);
        let i = id(&mut rng);
        planted.insert(i.clone(), original_id[k].clone());
        docs.push(Document::new(&i, &spun));
    }
    let dir = std::env::temp_dir().join(format!("unspin-eval-scan-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let index = Index::open_or_create(&dir)?;
    let prepared: Vec<_> = docs.clone().into_par_iter().map(|d| index.prepare(d)).collect();
    let mut w = index.writer()?;
    for p in prepared {
        w.add_prepared(p)?;
    }
    w.commit()?;
    drop(w);
    // The model `lm build --index` would make: every indexed text.
    let model = docs
        .par_iter()
        .fold(unspin::lm::ModelBuilder::new, |mut b, d| {
            b.add(&d.text);
            b
        })
        .reduce(unspin::lm::ModelBuilder::new, |mut a, b| {
            a.merge(b);
            a
        })
        .build();
    let comparer = unspin::check_comparer();
    let options = ScanOptions {
        verdicts: vec![Verdict::Spun, Verdict::Copy, Verdict::Paraphrase],
        ..ScanOptions::default()
    };
    for (name, model) in [("index model", Some(&model)), ("no model", None)] {
        let t0 = Instant::now();
        let pairs = unspin::scan(&comparer, &index, model, &options, &|_| {})?;
        let secs = t0.elapsed().as_secs_f64();
        let mut found = 0;
        let mut right_way = 0;
        let mut ways: BTreeMap<String, (usize, usize)> = BTreeMap::new();
        let mut others: BTreeMap<&str, usize> = BTreeMap::new();
        let mut spun_reported = 0;
        let mut spun_planted = 0;
        let mut spun_found = 0;
        let mut other_spun: BTreeMap<&str, usize> = BTreeMap::new();
        let mut shown = 0;
        // Whether `b` is the planted original of spin `a` (or a copy of it).
        let is_original_of = |a: &str, b: &str| {
            planted.get(a).is_some_and(|o| {
                o == b || text_of.get(b).is_some_and(|&k| bbc[k] == bbc[text_of[o]])
            })
        };
        let mut seen_spins = std::collections::HashSet::new();
        for p in &pairs {
            let truth = if is_original_of(&p.suspect, &p.source) {
                Some(true)
            } else if is_original_of(&p.source, &p.suspect) {
                Some(false)
            } else {
                None
            };
            if p.verdict == Verdict::Spun {
                spun_reported += 1;
                spun_planted += usize::from(truth.is_some());
                if truth.is_none() {
                    let origin = |id: &str| planted.get(id).map(|o| &bbc[text_of[o]]);
                    let kind = match (origin(&p.source), origin(&p.suspect)) {
                        (Some(a), Some(b)) if a == b => "two spins of one article",
                        (Some(_), Some(_)) => "two spins of different articles",
                        (Some(_), None) | (None, Some(_)) => "a spin and another article",
                        (None, None) => "two BBC articles",
                    };
                    *other_spun.entry(kind).or_default() += 1;
                    if kind == "two BBC articles" && shown < 3 && model.is_some() {
                        shown += 1;
                        let text = |id: &str| {
                            docs.iter()
                                .find(|d| d.id == id)
                                .map(|d| d.text.chars().take(300).collect::<String>())
                        };
                        println!(
                            "  other spun pair: {p:?}\n    {:?}\n    {:?}",
                            text(&p.source),
                            text(&p.suspect)
                        );
                    }
                }
            }
            match truth {
                Some(right) => {
                    let spin = if right { &p.suspect } else { &p.source };
                    if !seen_spins.insert(spin.clone()) {
                        // Another copy of the same original.
                        continue;
                    }
                    spun_found += usize::from(p.verdict == Verdict::Spun);
                    found += 1;
                    right_way += usize::from(right);
                    let e = ways.entry(format!("{:?}", p.oriented_by)).or_default();
                    e.0 += 1;
                    e.1 += usize::from(right);
                }
                None => *others.entry(p.verdict.as_str()).or_default() += 1,
            }
        }
        println!(
            "scan ({name}): {} documents in {secs:.1} s ({:.0} documents/s on {} threads)",
            docs.len(),
            docs.len() as f64 / secs,
            rayon::current_num_threads()
        );
        println!(
            "  planted pairs reported {found} of {spins} ({:.3}), {spun_found} as spun; oriented right {right_way} ({:.3}); by way {ways:?}",
            found as f64 / spins.max(1) as f64,
            right_way as f64 / found.max(1) as f64,
        );
        println!(
            "  reported as spun: {spun_reported}, of them planted (or with a copy of the original) {spun_planted} (precision {:.3}); other pairs reported (BBC's own near-duplicates) by verdict: {others:?}",
            spun_planted as f64 / spun_reported.max(1) as f64
        );
        println!("  other pairs reported as spun: {other_spun:?}");
    }
    let _ = std::fs::remove_dir_all(&dir);
    Ok(())
}
