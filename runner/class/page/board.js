// The class board: it reads the board's state from the server's event
// stream and draws it. Every text from a student (names, failures) goes
// into the page as text (textContent), never as HTML.
"use strict";
(function () {
  var token = new URLSearchParams(location.search).get("token") || "";
  var q = "?token=" + encodeURIComponent(token);
  var T = {
    en: { title: "labrun · class board", student: "Student", current: "Current step", time: "On it", done: "Done", stuck: "stuck",
      allDone: "✓ all done", quit: "left", attempts: "attempts", hints: "hints", solutionShown: "solution shown",
      solutionRun: "solution run by labrun", failure: "Last failure", live: "live", lost: "connection lost: retrying",
      waiting: "Joined, no lab opened yet: ", code: "join code ", none: "not started", trying: "trying (attempts)",
      doneLegend: "done (time)", hint: "hint used", solution: "solution used", close: "close", noStudent: "No student has joined yet." },
    fr: { title: "labrun · tableau de la classe", student: "Élève", current: "Étape en cours", time: "Depuis", done: "Faites", stuck: "bloqué",
      allDone: "✓ tout fait", quit: "parti", attempts: "essais", hints: "indices", solutionShown: "solution affichée",
      solutionRun: "solution lancée par labrun", failure: "Dernier échec", live: "en direct", lost: "connexion perdue : nouvel essai",
      waiting: "Inscrits, aucun lab ouvert : ", code: "code d'inscription ", none: "pas commencée", trying: "en cours (essais)",
      doneLegend: "faite (durée)", hint: "indice utilisé", solution: "solution utilisée", close: "fermer", noStudent: "Aucun élève n'a encore rejoint la classe." }
  };
  var board = null, lang = null, skew = 0;

  function el(tag, attrs, text) {
    var e = document.createElement(tag);
    for (var k in attrs || {}) e.setAttribute(k, attrs[k]);
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function title(t) { return (t && (t[lang] || t.en || Object.values(t)[0])) || ""; }
  function clock(ms) {
    var s = Math.max(0, Math.round(ms / 1000)), h = Math.floor(s / 3600), m = Math.floor(s / 60) % 60;
    s = s % 60;
    return (h ? h + ":" + (m < 10 ? "0" : "") : "") + m + ":" + (s < 10 ? "0" : "") + s;
  }
  function now() { return Date.now() + skew; }

  function cellOf(st, lab, step, p) {
    var c = p.cells[step.id], td = el("td", { "class": "cell", "data-student": st.name, "data-step": step.id });
    var state = !c ? "none" : c.done ? "done" : (c.attempts || c.shown) ? "trying" : "none";
    td.setAttribute("data-state", state);
    if (p.current === step.id) td.classList.add("current");
    var text = "·";
    if (state === "done") text = "✓ " + clock(c.done - (c.shown && c.shown < c.first ? c.shown : (c.shown || c.first)));
    else if (state === "trying") text = String(c.attempts);
    td.textContent = text;
    // Marks in signs every font has: a projector's machine may have no emoji.
    if (c && c.hints) td.appendChild(el("span", { "class": "mark hint" }, "?"));
    if (c && (c.solution_shown || c.solution_run)) td.appendChild(el("span", { "class": "mark solution" }, "⚑"));
    if (c && c.failure && state !== "done") td.title = T[lang].failure + ": " + c.failure;
    td.addEventListener("click", function () { detail(st, lab, step, c); });
    return td;
  }

  function detail(st, lab, step, c) {
    var t = T[lang], d = document.getElementById("detail");
    d.textContent = "";
    var close = el("button", { type: "button" }, t.close);
    close.addEventListener("click", function () { d.hidden = true; });
    d.appendChild(close);
    d.appendChild(el("strong", {}, st.name));
    d.appendChild(el("div", {}, title(lab.title) + " · " + step.id + " · " + title(step.title)));
    if (c) {
      var facts = c.attempts + " " + t.attempts + ", " + c.hints + " " + t.hints;
      if (c.solution_shown) facts += ", " + t.solutionShown;
      if (c.solution_run) facts += ", " + t.solutionRun;
      d.appendChild(el("div", {}, facts));
      if (c.failure && !c.done) { d.appendChild(el("div", {}, t.failure + ":")); d.appendChild(el("pre", { "class": "failure" }, c.failure)); }
    }
    d.hidden = false;
  }

  function render() {
    if (!board) return;
    var t = T[lang], main = document.getElementById("labs");
    document.documentElement.lang = lang;
    document.title = t.title;
    document.getElementById("lang").textContent = lang === "fr" ? "EN" : "FR";
    document.getElementById("code").textContent = t.code + board.code;
    main.textContent = "";
    var seen = {};
    board.labs.forEach(function (lab) {
      var students = board.students.filter(function (s) { return s.labs[lab.name]; });
      if (!students.length) return;
      var section = el("section", { "class": "lab", "data-lab": lab.name });
      section.appendChild(el("h2", {}, title(lab.title) + " (" + lab.name + ")"));
      var table = el("table"), head = el("tr");
      head.appendChild(el("th", { "class": "name" }, t.student));
      head.appendChild(el("th", {}, t.current));
      head.appendChild(el("th", {}, t.time));
      lab.steps.forEach(function (s, i) {
        var th = el("th", { title: s.id });
        th.appendChild(el("span", { "class": "num" }, String(i + 1)));
        th.appendChild(document.createTextNode(title(s.title)));
        head.appendChild(th);
      });
      table.appendChild(el("thead")).appendChild(head);
      var body = el("tbody");
      students.forEach(function (st) {
        seen[st.id] = true;
        var p = st.labs[lab.name], tr = el("tr", { "data-student": st.name });
        tr.appendChild(el("td", { "class": "name", title: st.name }, st.name));
        var where = el("td", { "class": "where" }), time = el("td", { "class": "time" });
        if (!p.current) {
          where.textContent = t.allDone;
        } else {
          var step = lab.steps.find(function (s) { return s.id === p.current; });
          where.textContent = (lab.steps.indexOf(step) + 1) + ". " + title(step && step.title);
          if (p.since) {
            time.textContent = clock(now() - p.since);
            if (!p.quit && now() - p.since > board.stuck_ms) where.appendChild(el("span", { "class": "stuck" }, t.stuck));
          }
          if (p.quit) where.appendChild(el("span", { "class": "quit" }, t.quit));
        }
        tr.appendChild(where);
        tr.appendChild(time);
        lab.steps.forEach(function (s) { tr.appendChild(cellOf(st, lab, s, p)); });
        body.appendChild(tr);
      });
      table.appendChild(body);
      var foot = el("tr");
      foot.appendChild(el("th", { "class": "name" }, t.done));
      foot.appendChild(el("td", { colspan: "2" }));
      lab.done.forEach(function (n, i) { foot.appendChild(el("td", { "class": "summary", "data-step": lab.steps[i].id }, n + "/" + students.length)); });
      table.appendChild(el("tfoot")).appendChild(foot);
      var scroll = el("div", { "class": "scroll" });
      scroll.appendChild(table);
      section.appendChild(scroll);
      main.appendChild(section);
    });
    var waiting = board.students.filter(function (s) { return !seen[s.id]; }).map(function (s) { return s.name; });
    var w = document.getElementById("waiting");
    w.hidden = !waiting.length && board.students.length > 0;
    w.textContent = board.students.length ? (waiting.length ? t.waiting + waiting.join(", ") : "") : t.noStudent;
    legend();
  }

  function legend() {
    var t = T[lang], f = document.getElementById("legend");
    f.textContent = "";
    [["none", "·", t.none], ["trying", "3", t.trying], ["done", "✓ 2:10", t.doneLegend]].forEach(function (x) {
      var s = el("span"), i = el("i");
      i.style.background = getComputedStyle(document.documentElement).getPropertyValue("--" + x[0]);
      s.appendChild(i);
      s.appendChild(document.createTextNode(x[1] + " " + x[2]));
      f.appendChild(s);
    });
    f.appendChild(el("span", {}, "? " + t.hint));
    f.appendChild(el("span", {}, "⚑ " + t.solution));
    f.appendChild(el("span", {}, t.stuck + (lang === "fr" ? " : > " : ": > ") + clock(board.stuck_ms)));
  }

  function status(ok) {
    var s = document.getElementById("status");
    // Before the board's state arrives, the page's language is the one
    // the server wrote into <html lang>: the class's.
    var t = T[lang || document.documentElement.lang] || T.en;
    s.textContent = ok ? "● " + t.live : t.lost;
    s.className = ok ? "status" : "status lost";
  }

  document.getElementById("csv").href = "/export.csv" + q;
  document.getElementById("json").href = "/export.json" + q;
  document.getElementById("lang").addEventListener("click", function () { lang = lang === "fr" ? "en" : "fr"; render(); status(true); });

  var stream = new EventSource("/api/v1/stream" + q);
  stream.onmessage = function (m) {
    board = JSON.parse(m.data);
    skew = board.now - Date.now();
    if (!lang) lang = board.lang === "fr" ? "fr" : "en";
    render();
    status(true);
  };
  stream.onerror = function () { status(false); };
  // Times on a step and the stuck marks move on without news.
  setInterval(render, 1000);
})();
