package class

// messages are what the server and the student's side print, in the
// class's or the student's language.
type messages struct {
	started, publicURL, stopped                    string
	unreachable, kept, joined, rejoined, otherName string
}

func serverMessages(lang string) messages {
	if lang == "fr" {
		return messages{
			started: "Classe %s : les étudiants rejoignent avec\n  labrun guide LAB --join %s --name \"Prénom Nom\"\n" +
				"Tableau : %s\nExport CSV : %s\nBase : %s (Ctrl-C arrête le serveur)\n",
			publicURL:   "Attention : le serveur écoute sur toutes les adresses ; donnez --public-url pour que les URL ci-dessus soient joignables.",
			stopped:     "Serveur arrêté, base fermée.",
			unreachable: "tableau de la classe injoignable (%v) : votre progression est gardée et sera envoyée quand il répondra",
			kept:        "%d événements gardés pour le tableau de la classe : ils partiront à la prochaine commande avec --join",
			joined:      "Vous avez rejoint la classe sous le nom %s.",
			rejoined:    "Classe : vous êtes %s.",
			otherName:   "vous avez déjà rejoint cette classe sous le nom %s : --name %s est ignoré",
		}
	}
	return messages{
		started: "Class %s: students join with\n  labrun guide LAB --join %s --name \"Your Name\"\n" +
			"Board: %s\nCSV export: %s\nDatabase: %s (Ctrl-C stops the server)\n",
		publicURL:   "Note: the server listens on every address; give --public-url so that the URLs above can be reached.",
		stopped:     "Server stopped, database closed.",
		unreachable: "the class board cannot be reached (%v): your progress is kept and sent when it answers",
		kept:        "%d events kept for the class board: they are sent the next time you run with --join",
		joined:      "You joined the class as %s.",
		rejoined:    "Class: you are %s.",
		otherName:   "you joined this class as %s already: --name %s is ignored",
	}
}
