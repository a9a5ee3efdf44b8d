use std::fmt;

/// An error reading a text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    kind: ErrorKind,
}

/// The kind of [`Error`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The input is not valid UTF-8; the byte offset of the first invalid byte.
    InvalidUtf8 {
        /// Byte offset of the first invalid byte.
        offset: usize,
    },
    /// The input contains a NUL byte, so it is most likely a binary file.
    Binary {
        /// Byte offset of the first NUL byte.
        offset: usize,
    },
    /// The input is UTF-16 text (it begins with a UTF-16 byte order mark).
    Utf16,
    /// The input is empty or only whitespace.
    Empty,
    /// The input is larger than the configured limit.
    TooLarge {
        /// The input size in bytes.
        size: usize,
        /// The limit in bytes.
        limit: usize,
    },
}

impl Error {
    pub(crate) fn new(kind: ErrorKind) -> Error {
        Error { kind }
    }

    /// The kind of error.
    pub fn kind(&self) -> &ErrorKind {
        &self.kind
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            ErrorKind::InvalidUtf8 { offset } => {
                write!(f, "not valid UTF-8 (first invalid byte at offset {offset})")
            }
            ErrorKind::Binary { offset } => {
                write!(f, "looks like a binary file (NUL byte at offset {offset})")
            }
            ErrorKind::Utf16 => write!(
                f,
                "is UTF-16 text (byte order mark); save it as UTF-8 (iconv -f UTF-16 -t UTF-8)"
            ),
            ErrorKind::Empty => write!(f, "is empty (no text to read)"),
            ErrorKind::TooLarge { size, limit } => {
                write!(f, "is {size} bytes, over the limit of {limit} bytes (see --max-bytes)")
            }
        }
    }
}

impl std::error::Error for Error {}

/// Checks raw bytes and returns them as text: rejects UTF-16 (by its byte
/// order mark), NUL bytes (binary files), invalid UTF-8, empty or
/// whitespace-only input, and input over `limit` bytes.
///
/// ```
/// use unspin_text::{decode, ErrorKind};
/// assert_eq!(decode(b"a dog", None)?, "a dog");
/// assert!(matches!(decode(b"a\0b", None).unwrap_err().kind(), ErrorKind::Binary { offset: 1 }));
/// assert_eq!(decode(b"\xff\xfea\0", None).unwrap_err().kind(), &ErrorKind::Utf16);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn decode(bytes: &[u8], limit: Option<usize>) -> Result<&str, Error> {
    if let Some(limit) = limit
        && bytes.len() > limit
    {
        return Err(Error::new(ErrorKind::TooLarge { size: bytes.len(), limit }));
    }
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(Error::new(ErrorKind::Utf16));
    }
    if let Some(offset) = bytes.iter().position(|&b| b == 0) {
        return Err(Error::new(ErrorKind::Binary { offset }));
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| Error::new(ErrorKind::InvalidUtf8 { offset: e.valid_up_to() }))?;
    if text.trim().is_empty() {
        return Err(Error::new(ErrorKind::Empty));
    }
    Ok(text)
}

/// Like [`decode`], for corpus documents: web-crawled text (PAN, news
/// archives) holds stray NUL bytes inside real text, so a valid UTF-8 input
/// whose NUL bytes are under 1 % of it is accepted as text (NUL stays one
/// character, so character offsets stay exact). A file with more NULs is
/// still rejected as binary.
///
/// ```
/// use unspin_text::{decode_lenient, ErrorKind};
/// let mut page = b"a crawled page with one stray NUL".repeat(4);
/// page[10] = 0;
/// assert!(decode_lenient(&page, None).is_ok());
/// assert!(matches!(decode_lenient(b"\0\0ab", None).unwrap_err().kind(), ErrorKind::Binary { .. }));
/// ```
pub fn decode_lenient(bytes: &[u8], limit: Option<usize>) -> Result<&str, Error> {
    let nuls = bytes.iter().filter(|&&b| b == 0).count();
    if nuls > 0
        && nuls * 100 < bytes.len()
        && limit.is_none_or(|l| bytes.len() <= l)
        && let Ok(text) = std::str::from_utf8(bytes)
    {
        return Ok(text);
    }
    decode(bytes, limit)
}
