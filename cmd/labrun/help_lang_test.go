package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/labrun/labrun/runner/i18n"
)

// untranslated returns the help texts of root's tree (each command's
// Short and Long, each visible flag's usage) that some language of the
// catalogue does not word, and the flags whose placeholder (the word
// between backquotes) is not the same in every language.
func untranslated(root *cobra.Command) []string {
	var missing []string
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.Hidden {
			return
		}
		texts := []string{c.Short, c.Long}
		for _, f := range visibleFlags(c) {
			texts = append(texts, f.Usage)
			en, _ := describeFlagIn(f, "en")
			for _, lang := range i18n.Languages[1:] {
				if other, _ := describeFlagIn(f, lang); other != en {
					missing = append(missing, c.CommandPath()+" --"+f.Name+": written "+other+" in "+lang+", "+en+" in en")
				}
			}
		}
		for _, text := range texts {
			for _, lang := range i18n.Languages[1:] {
				if text != "" && !i18n.Has(text, lang) {
					missing = append(missing, c.CommandPath()+": no "+lang+" for "+text)
				}
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
	return missing
}

// TestHelpInEveryLanguage: every command's summary and description and
// every flag's usage in labrun's tree has a wording in every language, so
// that a new command or flag cannot ship with English-only help; and each
// flag is written the same in every language (--json FILE).
func TestHelpInEveryLanguage(t *testing.T) {
	// The walk finds what is missing: a flag nobody translated.
	root := newRootCommand()
	run := subcommand(root, "run")
	run.Flags().Bool("zz-untranslated", false, "an English usage nobody translated")
	run.Flags().String("zz-placeholder", "", "a `THING` written otherwise")
	got := strings.Join(untranslated(root), "\n")
	if !strings.Contains(got, "an English usage nobody translated") || !strings.Contains(got, "a `THING` written otherwise") {
		t.Fatalf("the walk misses English-only flags:\n%s", got)
	}
	for _, missing := range untranslated(newRootCommand()) {
		t.Error(missing)
	}
}

// TestArgsInLabrunWords: every command's check of its arguments is
// labrun's, a usage error worded in the command line's language, never
// cobra's (cobra.NoArgs says "unknown command" in English); a command
// with commands of its own checks its arguments itself, since cobra's
// check of them is English too.
func TestArgsInLabrunWords(t *testing.T) {
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range c.Commands() {
			if sub.Hidden {
				continue
			}
			switch {
			case sub.Args == nil && sub.HasSubCommands():
				t.Errorf("%s: cobra checks its arguments", sub.CommandPath())
			case sub.Args != nil:
				for _, args := range [][]string{nil, {"x", "y", "z", "w", "v"}} {
					err := sub.Args(sub, args)
					if _, ours := err.(*usageError); err != nil && !ours {
						t.Errorf("%s %v: %v is not labrun's", sub.CommandPath(), args, err)
					}
				}
			}
			walk(sub)
		}
	}
	walk(newRootCommand())
}

// cobraEnglish are the fixed words of cobra's and pflag's errors.
var cobraEnglish = []string{"unknown flag", "unknown shorthand", "bad flag syntax", "unknown command", "invalid argument", "flag needs", "accepts ", "requires at least", "required flag", "Error:"}

// locale is the environment of a run in lang by the locale alone.
func locale(lang string) []string {
	if lang == "fr" {
		return []string{"LC_ALL=", "LC_MESSAGES=", "LANG=fr_FR.UTF-8"}
	}
	return []string{"LC_ALL=", "LC_MESSAGES=", "LANG=C"}
}

// TestFrenchHelp: labrun help, -h and help CMD are in French when the
// locale is French or the command line says --lang fr (wherever it
// stands, even on a command without --lang), with the same flags,
// placeholders and command names as in English, and no English sentence
// of labrun's; the English help is unchanged by a French locale's absence.
func TestFrenchHelp(t *testing.T) {
	state := t.TempDir()
	english, code := runLabrunEnv(t, state, locale("en"), "help")
	if code != 0 || len(englishIn(english)) == 0 {
		t.Fatalf("the scan finds no English in labrun help (exit %d):\n%s", code, english)
	}
	english, _ = runLabrunEnv(t, state, locale("en"), "run", "-h")
	if len(englishIn(english)) == 0 {
		t.Fatalf("the scan finds no English in labrun run -h:\n%s", english)
	}
	type want struct {
		args []string
		lang string // the locale's
		says []string
	}
	cases := []want{
		{[]string{"help"}, "fr", []string{"Utilisation :", "  labrun run        LAB [flags]          exécuter un lab", `Lancez "labrun run -h"`}},
		{[]string{"-h", "--lang", "fr"}, "en", []string{"Utilisation :", "labrun cleanup"}},
		{[]string{"--help", "--lang=fr"}, "en", []string{"Utilisation :"}},
		{[]string{"help", "--lang", "fr"}, "en", []string{"Utilisation :"}},
		{[]string{"run", "-h", "--lang", "fr"}, "en", []string{"Utilisation : labrun run LAB [flags]", "Options :", "  --json FILE\n", "  --set NAME=VALUE\n", `(par défaut "offline")`, "(par défaut 1)", "  -v\tmontrer ce que chaque vérification a vu"}},
		{[]string{"run", "--lang", "fr", "--help"}, "en", []string{"Utilisation : labrun run LAB [flags]"}},
		{[]string{"help", "doctor"}, "fr", []string{"Utilisation : labrun doctor [LAB] [flags]", "Vérifie que ce moteur", "  --hosts FILE\n"}},
		{[]string{"help", "run", "--lang", "fr"}, "en", []string{"Utilisation : labrun run LAB [flags]"}},
		{[]string{"list", "-h", "--lang", "fr"}, "en", []string{"Lister les labs intégrés.", "  --format text|json\n"}},
		{[]string{"new", "-h"}, "fr", []string{"Écrit NAME.txtar (ou PATH)", "  -o PATH\n"}},
		{[]string{"help", "format"}, "fr", []string{"Directives :\n", "  ## step ID                       commence une étape", "\n  service-running NAME COUNT IMAGE [[!]KEY=VALUE...]   [check]\n      le service a convergé"}},
		{[]string{"help", "format", "--lang", "fr"}, "en", []string{"Commandes (check : observe"}},
	}
	// Every command's help, nested ones included.
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		for _, sub := range subcommands(c) {
			path := strings.Fields(strings.TrimPrefix(sub.CommandPath(), "labrun "))
			cases = append(cases, want{append(path, "-h"), "fr", []string{"Utilisation : " + sub.CommandPath()}})
			walk(sub)
		}
	}
	walk(newRootCommand())
	for _, tc := range cases {
		out, code := runLabrunEnv(t, state, locale(tc.lang), tc.args...)
		if code != 0 {
			t.Errorf("labrun %s: exit %d\n%s", strings.Join(tc.args, " "), code, out)
			continue
		}
		for _, s := range tc.says {
			if !strings.Contains(out, s) {
				t.Errorf("labrun %s does not say %q:\n%s", strings.Join(tc.args, " "), s, out)
			}
		}
		if found := englishIn(out); len(found) > 0 {
			t.Errorf("labrun %s: English in French help: %q\n%s", strings.Join(tc.args, " "), found, out)
		}
		// The same help in English: none of its lines of words is in
		// the French one.
		args := append(withoutLang(tc.args), "--lang", "en")
		english, _ := runLabrunEnv(t, state, locale("en"), args...)
		if english == out {
			t.Errorf("labrun %s: the same help in English and French:\n%s", strings.Join(args, " "), out)
		}
		for _, line := range strings.Split(english, "\n") {
			line = strings.TrimSpace(line)
			if len(strings.Fields(line)) >= 3 && !strings.HasPrefix(line, "--") && !formatCommandLine.MatchString(line) && strings.Contains(out, line) {
				t.Errorf("labrun %s: English line in French help: %q", strings.Join(tc.args, " "), line)
			}
		}
	}
}

// formatCommandLine is a command's line in labrun help format: its name,
// arguments and kind, the same in every language.
var formatCommandLine = regexp.MustCompile(`\[(check|action|builtin)\]$`)

// withoutLang returns args without --lang and its value.
func withoutLang(args []string) []string {
	var kept []string
	for i := 0; i < len(args); i++ {
		switch {
		case args[i] == "--lang":
			i++
		case strings.HasPrefix(args[i], "--lang="):
		default:
			kept = append(kept, args[i])
		}
	}
	return kept
}

// TestFrenchCommandLineErrors: the mistakes cobra and pflag find on the
// command line (an unknown flag, a flag without its value, a bad value,
// bad flag syntax, arguments a command does not take, an unknown command)
// are worded by labrun in the command line's language, --lang fr
// wherever it stands (even after the mistake) or the locale's; never in
// cobra's English.
func TestFrenchCommandLineErrors(t *testing.T) {
	state := t.TempDir()
	for _, tc := range []struct {
		args []string
		lang string // the locale's
		says string
	}{
		{[]string{"run", "whoami-rollback", "--bogus", "--lang", "fr"}, "en", "labrun run: option donnée mais non définie : -bogus\n"},
		{[]string{"run", "whoami-rollback", "-x", "--lang", "fr"}, "en", "labrun run: option donnée mais non définie : -x\n"},
		{[]string{"run", "--lang", "fr", "whoami-rollback", "--timeout"}, "en", "l'option a besoin d'un argument : -timeout\n"},
		{[]string{"run", "whoami-rollback", "--repeat=x", "--lang", "fr"}, "en", "valeur \"x\" invalide pour l'option -repeat : erreur de lecture\n"},
		{[]string{"run", "whoami-rollback", "-q=maybe", "--lang", "fr"}, "en", "valeur booléenne \"maybe\" invalide pour -q"},
		{[]string{"run", "---x", "whoami-rollback", "--lang", "fr"}, "en", "labrun run: syntaxe d'option incorrecte : ---x\n"},
		{[]string{"run", "--lang", "fr"}, "en", "il faut un LAB, reçu 0 arguments"},
		{[]string{"class", "delete", "extra"}, "fr", "labrun class delete: class delete ne prend pas d'arguments\n"},
		{[]string{"cluster", "up", "extra"}, "fr", "labrun cluster up: cluster up ne prend pas d'arguments\n"},
		{[]string{"class", "export", "x", "y"}, "fr", "class export ne prend pas d'arguments"},
		{[]string{"list", "--bogus"}, "fr", "labrun list: option donnée mais non définie : -bogus\n"},
		{[]string{"-h", "extra"}, "fr", "labrun: commande inconnue \"extra\" ; lancez \"labrun help\"\n"},
		{[]string{"frobnicate", "--lang", "fr"}, "en", "labrun: commande inconnue \"frobnicate\""},
	} {
		name := "labrun " + strings.Join(tc.args, " ")
		out, code := runLabrunEnv(t, state, locale(tc.lang), tc.args...)
		if code != 2 {
			t.Errorf("%s: exit %d, want 2\n%s", name, code, out)
		}
		if !strings.Contains(out, tc.says) {
			t.Errorf("%s does not say %q:\n%s", name, tc.says, out)
		}
		if found := englishIn(out); len(found) > 0 {
			t.Errorf("%s: English in French: %q\n%s", name, found, out)
		}
		for _, w := range cobraEnglish {
			if strings.Contains(out, w) {
				t.Errorf("%s: cobra's English %q:\n%s", name, w, out)
			}
		}
		// In English, the scan finds the same mistake's English: it
		// would find it in French.
		english, _ := runLabrunEnv(t, state, locale("en"), withoutLang(tc.args)...)
		if len(englishIn(english)) == 0 {
			t.Errorf("%s: the scan finds no English in the English error:\n%s", name, english)
		}
	}
}

// TestHelpEnglishUnchanged: without a French locale or --lang, writeHelp
// words each flag as describeFlag does, the English the docs are
// generated from.
func TestHelpEnglishUnchanged(t *testing.T) {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		t.Setenv(name, "")
	}
	root := newRootCommand()
	var b strings.Builder
	writeHelp(&b, subcommand(root, "run"), helpLang(root))
	subcommand(root, "run").Flags().VisitAll(func(f *pflag.Flag) {
		if f.Hidden || f.Name == "help" {
			return
		}
		name, usage := describeFlag(f)
		if !strings.Contains(b.String(), name) || !strings.Contains(b.String(), usage) {
			t.Errorf("--%s: %s %s not in the help:\n%s", f.Name, name, usage, b.String())
		}
	})
}
