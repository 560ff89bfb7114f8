package lab

import (
	"os"
	"strings"

	"github.com/labrun/labrun/runner/i18n"
)

// splitWords splits a script line into words the way testscript does:
// blanks separate words, single quotes group them (” is a quote inside
// quotes) and an unquoted # starts a comment. It also returns the variable
// names the line refers to outside quotes, where testscript expands them.
func splitWords(line string) (words, refs []string, err error) {
	var (
		word    strings.Builder
		inWord  bool
		quoted  bool
		flushed = func() {
			if inWord {
				words = append(words, word.String())
				word.Reset()
				inWord = false
			}
		}
	)
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case quoted && c == '\'':
			if i+1 < len(line) && line[i+1] == '\'' {
				word.WriteByte('\'')
				i++
				continue
			}
			quoted = false
		case quoted:
			word.WriteByte(c)
		case c == '\'':
			quoted, inWord = true, true
		case c == ' ' || c == '\t' || c == '\r':
			flushed()
		case c == '#':
			flushed()
			return words, refs, nil
		default:
			if c == '$' {
				if name, n := varRef(line[i+1:]); n > 0 {
					refs = append(refs, name)
					word.WriteString(line[i : i+1+n])
					inWord = true
					i += n
					continue
				}
			}
			word.WriteByte(c)
			inWord = true
		}
	}
	if quoted {
		return nil, nil, i18n.Errorf("unterminated quoted argument")
	}
	flushed()
	return words, refs, nil
}

// varRef reads the variable reference after a '$' as os.Expand does and
// returns the variable's name and the bytes the reference spans.
func varRef(s string) (name string, n int) {
	if s == "" {
		return "", 0
	}
	if s[0] == '{' {
		end := strings.IndexByte(s, '}')
		if end < 0 {
			return "", 0
		}
		return strings.TrimSuffix(s[1:end], "@R"), end + 1
	}
	if !isNameByte(s[0]) {
		// $$, $/, $: and the like: one-character specials.
		return s[:1], 1
	}
	for n < len(s) && isNameByte(s[n]) {
		n++
	}
	return s[:n], n
}

func isNameByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// Expand replaces $NAME and ${NAME} in s with their values in vals,
// leaving references to unknown variables as they are.
func Expand(s string, vals map[string]string) string {
	return os.Expand(s, func(name string) string {
		if v, ok := vals[name]; ok {
			return v
		}
		if name == "$" {
			return "$"
		}
		return "${" + name + "}"
	})
}

// VarRefs returns the names of the variables s refers to, in order.
func VarRefs(s string) []string {
	var refs []string
	for i := 0; i < len(s); i++ {
		if s[i] != '$' {
			continue
		}
		name, n := varRef(s[i+1:])
		if n > 0 {
			refs = append(refs, name)
		}
		i += n
	}
	return refs
}
