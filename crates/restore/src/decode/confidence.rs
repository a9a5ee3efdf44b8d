//! How sure an edit is: its margin mapped to a calibrated probability.

/// How a decoder edit's margin (nats by which the restored reading beats
/// keeping the words) maps to its confidence, the chance that it restores
/// the original: `1 / (1 + e^-(a ln(m) + b))`, with `m` the margin held
/// between 1 and [`CALIBRATION_CAP`] nats and `(a, b)` the first pair for
/// an edit of one word, the second for a spun phrase of several (restored
/// to a word less often right: the thesaurus lists a phrase under many
/// words).
///
/// Fitted by logistic regression (`unspin-eval calibrate`) on the decoder's
/// edits of synthetic spins of 200 BBC articles outside both the language
/// model and the 200 articles `unspin-eval restore` evaluates on. The
/// margin read as a probability (`1 / (1 + e^-m)`) overstated it: edits at
/// 2.5 to 3 nats, said 0.93, were right 0.39 of the time.
pub const CALIBRATION: [(f32, f32); 2] = [(1.934, -2.621), (0.882, -1.831)];

/// The margin (nats) beyond which an edit is no more likely right: longer
/// phrases win by more without being surer.
pub const CALIBRATION_CAP: f32 = 20.0;

/// The confidence of a decoder edit with this margin, of one word or of a
/// phrase ([`CALIBRATION`]).
///
/// ```
/// use unspin_restore::confidence;
/// let (low, high) = (confidence(2.5, false), confidence(10.0, false));
/// assert!(0.0 < low && low < high && high < 1.0);
/// assert_eq!(confidence(40.0, true), confidence(80.0, true));
/// ```
pub fn confidence(margin: f32, phrase: bool) -> f64 {
    let (a, b) = CALIBRATION[usize::from(phrase)];
    let x = f64::from(calibration_feature(margin));
    1.0 / (1.0 + (-(f64::from(a) * x + f64::from(b))).exp())
}

/// What [`CALIBRATION`] weighs: the log of the margin, held between 1 and
/// [`CALIBRATION_CAP`] nats.
pub fn calibration_feature(margin: f32) -> f32 {
    margin.clamp(1.0, CALIBRATION_CAP).ln()
}
