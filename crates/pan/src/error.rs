use std::path::PathBuf;

/// An error of the PAN layer. Messages name the file or line.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A file or directory could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        /// The path.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// An XML file is malformed.
    #[error("{}: malformed XML: {message}", path.display())]
    Xml {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A line of a PAIRS file is not `suspicious.txt source.txt`.
    #[error("{}:{line}: malformed pair line {text:?} (want `suspicious-documentNNNNN.txt source-documentNNNNN.txt`)", path.display())]
    PairLine {
        /// The PAIRS file.
        path: PathBuf,
        /// 1-based line number.
        line: usize,
        /// The line.
        text: String,
    },
    /// A document is not text (binary, not UTF-8, empty).
    #[error("{}: {problem}", path.display())]
    Document {
        /// The document.
        path: PathBuf,
        /// What is wrong.
        problem: String,
    },
    /// A truth directory holds no PAN truth XML, neither in type folders
    /// nor itself.
    #[error("{}: no PAN truth XML files (want type folders such as 02-no-obfuscation/ holding them, or one such folder)", path.display())]
    NoTruth {
        /// The truth directory.
        path: PathBuf,
    },
}

impl Error {
    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Error {
        Error::Io { path: path.into(), source }
    }
}
