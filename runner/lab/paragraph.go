package lab

import "strings"

// OneParagraph joins a text's lines into one paragraph: the lab file
// wraps its texts for its own width, not the reader's.
func OneParagraph(t string) string { return strings.Join(strings.Fields(t), " ") }

// Wrap fills text's paragraph (its lines joined, as OneParagraph) into
// lines of at most width runes, breaking only between words: first begins
// the first line, rest each further one (an indent). A word longer than a
// line stays whole on a line of its own, past the width, rather than be
// cut: a terminal that folds it then cuts one word, not every line.
func Wrap(text string, width int, first, rest string) string {
	var b strings.Builder
	line := first
	n, empty := len([]rune(first)), true
	for _, w := range words(text) {
		wn := len([]rune(w))
		if !empty && n+1+wn > width {
			b.WriteString(line + "\n")
			line, n, empty = rest, len([]rune(rest)), true
		}
		if !empty {
			line += " "
			n++
		}
		line += w
		n += wn
		empty = false
	}
	b.WriteString(line)
	return b.String()
}

// words are text's words, French punctuation kept with its word: the
// space before : ; ? ! and » (and after «) is not a place to break, or a
// line would start with a lone colon.
func words(text string) []string {
	var out []string
	join := false // the previous word was a lone «
	for _, w := range strings.Fields(text) {
		switch {
		case join:
			out[len(out)-1] += " " + w
		case len(out) > 0 && (w == ":" || w == ";" || w == "?" || w == "!" || w == "»"):
			out[len(out)-1] += " " + w
		default:
			out = append(out, w)
		}
		join = w == "«"
	}
	return out
}
