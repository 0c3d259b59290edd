package format

// Noter is a Sink that wants to hear what a parser decided about a file as
// a whole: the language of its notices, the date order, a clock style. Only
// `ckpi ingest --explain` listens; the loader's sink does not, so a note
// costs nothing at load.
type Noter interface {
	Note(key, value string)
}

// Note tells sink, if it listens, what the parser decided: key is one of
// NoteLang, NoteDateOrder, NoteClock or a word of the parser's own.
func Note(sink Sink, key, value string) {
	if n, ok := sink.(Noter); ok {
		n.Note(key, value)
	}
}

// Keys of Note.
const (
	NoteLang      = "language"   // a locale table's code, e.g. "de"
	NoteDateOrder = "date order" // dmy or mdy
	NoteClock     = "clock"      // 12h or 24h
)

// NoteGuessed follows a noted value the parser chose without evidence in
// the file (a date order no date in it tells apart).
const NoteGuessed = " (guessed)"
