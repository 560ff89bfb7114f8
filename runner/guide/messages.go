package guide

// guideMessages are the words of the guided mode, in one language.
type guideMessages struct {
	prompt, typeThis, nothingToType, solution, running, hint, notYet, stepDone               string
	keys, saved, resuming, allDone, written, reset, nothingToReset, removed, left, untouched string
	stillToDo, stillHolds, corrupt                                                           string
}

// messages returns the guided mode's words in lang, English by default.
func messages(lang string) guideMessages {
	if lang == "fr" {
		return guideMessages{
			prompt:         "[Entrée] vérifier · h indice · s solution · r le faire pour moi · q quitter > ",
			typeThis:       "Tapez, dans un autre terminal :",
			nothingToType:  "Rien à taper : appuyez sur Entrée pour vérifier.",
			solution:       "La solution (ce que labrun lance avec r) :",
			running:        "labrun lance la solution…",
			hint:           "indice :",
			notYet:         "pas encore :",
			stepDone:       "étape réussie",
			keys:           "Touches : Entrée vérifier, h indice, s solution, r le faire pour moi, q quitter.",
			saved:          "Progression enregistrée : labrun guide %s reprendra à l'étape %s.",
			resuming:       "Reprise à l'étape %d/%d (%s).",
			allDone:        "Toutes les étapes de %s sont réussies. labrun reset supprime ce que le lab a créé.",
			written:        "Fichiers écrits dans %s : %s",
			reset:          "%s : progression oubliée.",
			nothingToReset: "%s : rien à réinitialiser.",
			removed:        "supprimé :",
			left:           "restant :",
			untouched:      "laissé :",
			stillToDo:      "L'étape %d/%d (%s) reste à faire : cette étape ne compte qu'une fois toutes les précédentes réussies.",
			stillHolds:     "déjà faite (vérifiée de nouveau à l'instant)",
			corrupt:        "%v : fichier supprimé.",
		}
	}
	return guideMessages{
		prompt:         "[Enter] check · h hint · s solution · r run it for me · q quit > ",
		typeThis:       "Type, in another terminal:",
		nothingToType:  "Nothing to type: press Enter to check.",
		solution:       "The solution (what labrun runs with r):",
		running:        "labrun runs the solution…",
		hint:           "hint:",
		notYet:         "not yet:",
		stepDone:       "step done",
		keys:           "Keys: Enter check, h hint, s solution, r run it for me, q quit.",
		saved:          "Progress saved: labrun guide %s resumes at step %s.",
		resuming:       "Resuming at step %d/%d (%s).",
		allDone:        "Every step of %s is done. labrun reset removes what the lab created.",
		written:        "Files written in %s: %s",
		reset:          "%s: progress forgotten.",
		nothingToReset: "%s: nothing to reset.",
		removed:        "removed",
		left:           "left:",
		untouched:      "not removed:",
		stillToDo:      "Step %d/%d (%s) is still to do: this step counts once every step before it is done.",
		stillHolds:     "already done (checked again just now)",
		corrupt:        "%v: file removed.",
	}
}
