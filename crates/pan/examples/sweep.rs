//! Parameter sweep of the passage layer on PAN pairs: aligns every pair once,
//! then writes detections for each configuration to OUT/<name>/.
//! usage: sweep PAIRS SRC SUSP OUT ALIGNER_DENSITY name:merge:srcgap:ceq:dens[:snap[:min_chars[:sum[:snap_source]]]] ...
use rayon::prelude::*;
use unspin_pan::DetectorBuilder;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let (pairs, src, susp, out) = (&a[1], &a[2], &a[3], &a[4]);
    let ad: f32 = a[5].parse().unwrap_or(0.3);
    let configs: Vec<(String, unspin_pan::Detector)> = a[6..]
        .iter()
        .map(|c| {
            let f: Vec<&str> = c.split(':').collect();
            let n = |i: usize| f[i].parse::<f32>().unwrap_or(0.0);
            let d = DetectorBuilder::new()
                .aligner_density(ad)
                .merge_gap(n(1) as usize)
                .summary_source_gap(n(2) as usize)
                .min_content_kept(n(3) as usize)
                .min_density(n(4))
                .snap(if f.len() > 5 { n(5) as usize } else { 10 })
                .snap_source(if f.len() > 8 {
                    n(8) as usize
                } else if f.len() > 5 {
                    n(5) as usize
                } else {
                    10
                })
                .min_chars(if f.len() > 6 { n(6) as usize } else { 150 })
                .aligner_min_equal(
                    std::env::var("AME").ok().and_then(|v| v.parse().ok()).unwrap_or(8),
                )
                .summary_mode(f.len() <= 7 || f[7] != "nosum")
                .rounds(std::env::var("ROUNDS").ok().and_then(|v| v.parse().ok()).unwrap_or(8))
                .build();
            (f[0].to_string(), d)
        })
        .collect();
    for (name, _) in &configs {
        std::fs::create_dir_all(format!("{out}/{name}")).expect("mkdir");
    }
    let base = &configs[0].1;
    let lines: Vec<String> =
        std::fs::read_to_string(pairs).expect("pairs").lines().map(String::from).collect();
    lines.par_iter().for_each(|l| {
        let mut it = l.split_whitespace();
        let (s, r) = (it.next().unwrap_or(""), it.next().unwrap_or(""));
        let st = std::fs::read_to_string(format!("{susp}/{s}")).unwrap_or_default();
        let rt = std::fs::read_to_string(format!("{src}/{r}")).unwrap_or_default();
        let (ts, tr) = (base.tokenizer().tokenize(&st), base.tokenizer().tokenize(&rt));
        let ps = base.align(&tr, &ts);
        for (name, d) in &configs {
            let dets = d.select(&tr, &ts, &ps);
            let path = format!(
                "{out}/{name}/{}-{}.xml",
                s.trim_end_matches(".txt"),
                r.trim_end_matches(".txt")
            );
            let mut f = std::fs::File::create(path).expect("create");
            unspin_pan::xml::write(&mut f, s, r, &dets).expect("write");
        }
    });
}
