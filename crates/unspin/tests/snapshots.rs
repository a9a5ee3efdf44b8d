//! Every `testdata/pairs/NN.source.txt` / `NN.suspect.txt` pair through
//! `Comparer::compare`, snapshot as JSON.

#[test]
fn pairs() {
    let comparer = unspin::Comparer::new();
    insta::glob!("../../../testdata/pairs", "*.source.txt", |path| {
        let source = std::fs::read_to_string(path).expect("source fixture");
        let suspect_path = path.to_string_lossy().replace(".source.txt", ".suspect.txt");
        let suspect = std::fs::read_to_string(&suspect_path).expect("suspect fixture");
        let report = comparer.compare(&source, &suspect);
        insta::assert_json_snapshot!(report);
    });
}
