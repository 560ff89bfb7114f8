package lab

import "strings"

// OneParagraph joins a text's lines into one paragraph: the lab file
// wraps its texts for its own width, not the reader's.
func OneParagraph(t string) string { return strings.Join(strings.Fields(t), " ") }
