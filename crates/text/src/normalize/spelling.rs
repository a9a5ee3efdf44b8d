//! British to American spelling: `colour` and `color` agree.

use super::Normalizer;
use rustc_hash::FxHashMap;
use std::borrow::Cow;
use std::sync::OnceLock;

/// British spellings to American ones, from a word table plus the regular
/// `-isation`/`-ise`-family and `-yse` endings of words in the table's stems.
pub struct Spelling;

// Sorted by British form.
const TABLE: &[(&str, &str)] = &[
    ("aeroplane", "airplane"),
    ("ageing", "aging"),
    ("aluminium", "aluminum"),
    ("analyse", "analyze"),
    ("analysed", "analyzed"),
    ("apologise", "apologize"),
    ("armour", "armor"),
    ("behaviour", "behavior"),
    ("behaviours", "behaviors"),
    ("cancelled", "canceled"),
    ("catalogue", "catalog"),
    ("centre", "center"),
    ("centres", "centers"),
    ("cheque", "check"),
    ("colour", "color"),
    ("coloured", "colored"),
    ("colours", "colors"),
    ("criticise", "criticize"),
    ("criticised", "criticized"),
    ("defence", "defense"),
    ("dialogue", "dialog"),
    ("emphasise", "emphasize"),
    ("favour", "favor"),
    ("favourite", "favorite"),
    ("fibre", "fiber"),
    ("flavour", "flavor"),
    ("grey", "gray"),
    ("harbour", "harbor"),
    ("honour", "honor"),
    ("humour", "humor"),
    ("jewellery", "jewelry"),
    ("labour", "labor"),
    ("licence", "license"),
    ("litre", "liter"),
    ("manoeuvre", "maneuver"),
    ("metre", "meter"),
    ("metres", "meters"),
    ("neighbour", "neighbor"),
    ("neighbours", "neighbors"),
    ("offence", "offense"),
    ("organise", "organize"),
    ("organised", "organized"),
    ("paralyse", "paralyze"),
    ("practise", "practice"),
    ("programme", "program"),
    ("programmes", "programs"),
    ("realise", "realize"),
    ("realised", "realized"),
    ("recognise", "recognize"),
    ("recognised", "recognized"),
    ("rumour", "rumor"),
    ("theatre", "theater"),
    ("travelled", "traveled"),
    ("travelling", "traveling"),
    ("tyre", "tire"),
    ("vapour", "vapor"),
];

const ENDINGS: &[(&str, &str)] =
    &[("isation", "ization"), ("isations", "izations"), ("ising", "izing"), ("ises", "izes")];

/// [`TABLE`] by British form (every token is looked up: a hash, not a
/// binary search).
fn table() -> &'static FxHashMap<&'static str, &'static str> {
    static MAP: OnceLock<FxHashMap<&'static str, &'static str>> = OnceLock::new();
    MAP.get_or_init(|| TABLE.iter().copied().collect())
}

/// American forms in [`TABLE`] that British English writes too, for
/// another sense or as well: "check" (a cheque, or to check), "tire" (a
/// tyre, or to tire), "program" (software), "license" (the verb),
/// "practice" (the noun), "meter" (the device), "dialog" (software). Such
/// a word says nothing of a text's spelling and is never respelled British.
const SHARED: &[&str] =
    &["check", "dialog", "license", "meter", "meters", "practice", "program", "programs", "tire"];

/// The American spelling of a lowercase British-spelled word that the
/// normalizer's table knows, or of a regular `-isation`/`-ise` ending of a
/// word it knows (`colour` -> `color`, `organisation` -> `organization`):
/// what the spelling normalizer writes.
///
/// ```
/// use unspin_text::normalize::american_spelling;
/// assert_eq!(american_spelling("colours").as_deref(), Some("colors"));
/// assert_eq!(american_spelling("organisation").as_deref(), Some("organization"));
/// assert_eq!(american_spelling("color"), None);
/// ```
pub fn american_spelling(word: &str) -> Option<Cow<'static, str>> {
    lookup(word)
}

/// The British spelling of a lowercase American-spelled word of the
/// normalizer's table (`color` -> `colour`), unless British English writes
/// the American form too (`program`, `check`, `tire`, `license`,
/// `practice`, `meter`).
///
/// ```
/// use unspin_text::normalize::british_spelling;
/// assert_eq!(british_spelling("neighbors"), Some("neighbours"));
/// assert_eq!(british_spelling("program"), None);
/// assert_eq!(british_spelling("colour"), None);
/// ```
pub fn british_spelling(word: &str) -> Option<&'static str> {
    static MAP: OnceLock<FxHashMap<&'static str, &'static str>> = OnceLock::new();
    let map = MAP.get_or_init(|| {
        TABLE
            .iter()
            .filter(|(_, amer)| !SHARED.contains(amer))
            .map(|&(brit, amer)| (amer, brit))
            .collect()
    });
    map.get(word).copied()
}

fn lookup(form: &str) -> Option<Cow<'static, str>> {
    if let Some(amer) = table().get(form) {
        return Some(Cow::Borrowed(amer));
    }
    // `organisation` -> `organization` when `organise` is in the table.
    for (brit, amer) in ENDINGS {
        if let Some(stem) = form.strip_suffix(brit) {
            let base = format!("{stem}ise");
            if table().contains_key(base.as_str()) {
                return Some(Cow::Owned(format!("{stem}{amer}")));
            }
        }
    }
    None
}

impl Normalizer for Spelling {
    fn name(&self) -> &'static str {
        "spelling"
    }

    fn should_normalize(&self, form: &str) -> bool {
        form.len() >= 4 && form.bytes().all(|b| b.is_ascii_lowercase()) && lookup(form).is_some()
    }

    fn normalize<'a>(&self, form: Cow<'a, str>) -> Cow<'a, str> {
        match lookup(&form) {
            Some(amer) => Cow::Owned(amer.into_owned()),
            None => form,
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn shared_american_forms_are_in_the_table_and_sorted() {
        assert!(super::SHARED.windows(2).all(|w| w[0] < w[1]), "help: keep SHARED sorted");
        for w in super::SHARED {
            assert!(super::TABLE.iter().any(|(_, amer)| amer == w), "{w} is no American form");
        }
    }

    #[test]
    fn british_and_american_forms_map_both_ways() {
        for (brit, amer) in super::TABLE {
            assert_eq!(super::american_spelling(brit).as_deref(), Some(*amer));
            let back = super::british_spelling(amer);
            assert!(back == Some(*brit) || super::SHARED.contains(amer), "{amer}: {back:?}");
        }
    }

    #[test]
    fn sorted() {
        assert!(super::TABLE.windows(2).all(|w| w[0].0 < w[1].0), "help: keep TABLE sorted");
    }
    super::super::test_normalizer!(super::Spelling,
        "colour" => "color", "organisation" => "organization", "realising" => "realizing",
        "rise" => "rise", "dog" => "dog");
}
