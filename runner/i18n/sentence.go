package i18n

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
)

// Sentence is a message of labrun's not worded yet: its English format,
// which is also its key in the catalogue, and its arguments. Pure
// functions (a check judging a snapshot) build sentences without knowing
// the run's language; the edge that shows them words them with In, in
// that language, from the catalogue, the arguments passed through. An
// argument that is a Sentence, a List or an error of Sentences is worded
// in the same language; any other error (the engine's, the network's) is
// quoted as it came.
type Sentence struct {
	Format string
	Args   []any
}

// Sprintf returns the sentence format with args, to be worded later.
func Sprintf(format string, args ...any) Sentence { return Sentence{Format: format, Args: args} }

// String is the sentence in English.
func (s Sentence) String() string { return s.In("en") }

// In words the sentence in lang.
func (s Sentence) In(lang string) string {
	format := s.Format
	if e, ok := catalogue[format]; ok {
		if f, ok := e[lang]; ok {
			format = f
		}
	}
	args := make([]any, len(s.Args))
	for i, a := range s.Args {
		args[i] = word(lang, a)
	}
	return fmt.Sprintf(format, args...)
}

// Error is a Sentence that is an error; Unwrap returns the first
// argument that is an error, so that errors.As still finds what a
// sentence quotes (a FinalError, the engine's error).
type Error struct{ Sentence }

// Errorf returns the error format with args, to be worded later.
func Errorf(format string, args ...any) error { return &Error{Sprintf(format, args...)} }

func (e *Error) Error() string { return e.In("en") }

// Unwrap returns the first argument that is an error, nil when none is.
func (e *Error) Unwrap() error {
	for _, a := range e.Args {
		if err, ok := a.(error); ok {
			return err
		}
	}
	return nil
}

// List is sentences (or any values) joined by Sep once worded.
type List struct {
	Items []any
	Sep   string
}

// Join returns items joined by sep once worded.
func Join[T any](items []T, sep string) List {
	l := List{Sep: sep, Items: make([]any, len(items))}
	for i, it := range items {
		l.Items[i] = it
	}
	return l
}

// String is the list in English.
func (l List) String() string { return word("en", l).(string) }

// In words err in lang: a Sentence error, or an error wrapping one
// without adding words (a FinalError), is worded from the catalogue;
// any other error is the engine's or the system's, quoted as it came.
func In(lang string, err error) string {
	if err == nil {
		return ""
	}
	return word(lang, err).(string)
}

// word returns a, worded in lang when it is labrun's, else a itself.
func word(lang string, a any) any {
	switch v := a.(type) {
	case Sentence:
		return v.In(lang)
	case *Error:
		return v.In(lang)
	case Worded:
		return v.In(lang)
	case Hinted:
		return v.Text(Text(lang, "hint-label"))
	case List:
		parts := make([]string, len(v.Items))
		for i, it := range v.Items {
			parts[i] = fmt.Sprint(word(lang, it))
		}
		return strings.Join(parts, v.Sep)
	case error:
		// A wrapper that adds no words of its own (FinalError,
		// BlindError) shows its inner error: word that.
		if inner := errors.Unwrap(v); inner != nil && inner.Error() == v.Error() {
			return word(lang, inner)
		}
		return v.Error()
	}
	return a
}

// Worded is a value of labrun's that words itself in a language (an
// error type of a package that carries more than a sentence, such as a
// corrupt progress file's path): an argument that is Worded is worded in
// the sentence's language.
type Worded interface{ In(lang string) string }

// Textf is the sentence format with args, worded in lang now.
func Textf(lang, format string, args ...any) string { return Sprintf(format, args...).In(lang) }

// Has tells whether the catalogue words message id (an ID, or a
// sentence's English format) in lang.
func Has(id, lang string) bool {
	e, ok := catalogue[id]
	if !ok {
		return false
	}
	_, ok = e[lang]
	return ok
}

// Unsaid returns the fixed parts of the catalogue's English wordings that
// its lang wordings do not share, of at least words words each: text
// that, found in a run in lang, is labrun speaking English there.
func Unsaid(lang string, words int) []string {
	var out []string
	for _, e := range catalogue {
		other := e[lang]
		for _, part := range verbs.Split(e["en"], -1) {
			part = strings.Trim(part, " ;:,.()")
			if len(strings.Fields(part)) >= words && !strings.Contains(other, part) {
				out = append(out, part)
			}
		}
	}
	return out
}

// verbs matches a fmt verb.
var verbs = regexp.MustCompile(`%[-+# 0-9.]*[a-zA-Z%]`)
