// The readiness assessment, entirely in the browser: no server, no network, works from file://.
// evaluate() mirrors generator/assessment.py line for line (integers only; percent rounded
// down); tests run both over the same answer sets and compare the results.
(function () {
  "use strict";

  function maxima(data) {
    var out = {};
    data.dimensions.forEach(function (d) { out[d.id] = 0; });
    data.questions.forEach(function (q) {
      Object.keys(out).forEach(function (dim) {
        out[dim] += Math.max.apply(null, q.options.map(function (o) { return points(o, dim); }));
      });
    });
    return out;
  }

  function points(option, dim) {
    return Object.prototype.hasOwnProperty.call(option.scores, dim) ? option.scores[dim] : 0;
  }

  function holds(cond, levelOf, ranks) {
    var dims = cond.any_of || cond.all_of || [];
    var tests = dims.map(function (d) {
      if ("level" in cond) return ranks[levelOf[d]] === ranks[cond.level];
      if ("at_least" in cond) return ranks[levelOf[d]] >= ranks[cond.at_least];
      return ranks[levelOf[d]] <= ranks[cond.at_most];
    });
    return "any_of" in cond ? tests.some(Boolean) : tests.every(Boolean);
  }

  function decide(rules, levelOf, levels) {
    var ranks = {};
    levels.forEach(function (lv, i) { ranks[lv] = i; });
    var persona = null, fired = [];
    rules.forEach(function (rule) {
      if (persona !== null && rule.persona !== persona) return;
      if (rule.when.every(function (c) { return holds(c, levelOf, ranks); })) {
        persona = rule.persona;
        fired.push(rule.id);
      }
    });
    return persona === null ? null : { persona: persona, fired: fired };
  }

  function evaluate(data, answers) {
    var dims = data.dimensions.map(function (d) { return d.id; });
    var levels = data.levels.map(function (lv) { return lv.id; });
    var got = {};
    dims.forEach(function (d) { got[d] = 0; });
    var maximum = maxima(data);
    data.questions.forEach(function (q) {
      var chosen = q.options.filter(function (o) { return o.id === answers[q.id]; })[0];
      Object.keys(chosen.scores).forEach(function (dim) { got[dim] += chosen.scores[dim]; });
    });
    var scores = {}, levelOf = {};
    dims.forEach(function (dim) {
      var percent = Math.floor((100 * got[dim]) / maximum[dim]);
      var level = data.levels.filter(function (lv) { return lv.below === null || percent < lv.below; })[0].id;
      scores[dim] = { points: got[dim], max: maximum[dim], percent: percent, level: level };
      levelOf[dim] = level;
    });
    var decided = decide(data.rules, levelOf, levels);
    var reasons = data.rules
      .filter(function (r) { return decided.fired.indexOf(r.id) !== -1; })
      .map(function (r) { return r.reason; });
    var lowest = Math.min.apply(null, dims.map(function (d) { return scores[d].percent; }));
    var weakest = dims.filter(function (d) {
      return scores[d].percent === lowest && scores[d].level !== levels[levels.length - 1];
    });
    return { persona: decided.persona, rules: decided.fired, reasons: reasons, scores: scores, weakest: weakest };
  }

  // Problems with answers read from a link; the same cases `kb assess --answers` reports.
  function answerProblems(data, answers, order) {
    var problems = [];
    var byId = Object.create(null);  // no prototype: a question named __proto__ or constructor is just unknown
    data.questions.forEach(function (q) { byId[q.id] = q; });
    if (order.tooMany) problems.push("the link holds " + order.tooMany + " answers; only the first " + MAX_PARTS + " are read");
    order.forEach(function (qid) {
      var q = byId[qid];
      if (!q) { problems.push("unknown question '" + qid + "'"); return; }
      var ids = q.options.map(function (o) { return o.id; });
      if (ids.indexOf(answers[qid]) === -1) {
        problems.push(qid + ": unknown option '" + answers[qid] + "' (expected one of: " + ids.join(", ") + ")");
      }
    });
    return problems;
  }

  // A link is typed or pasted by people: read a bounded number of parts, each in constant time.
  var MAX_PARTS = 1000;

  function parseFragment(hash) {
    var answers = Object.create(null), order = [], seen = Object.create(null);
    var parts = hash.replace(/^#/, "").split("&");
    if (parts.length > MAX_PARTS) { order.tooMany = parts.length; parts = parts.slice(0, MAX_PARTS); }
    parts.forEach(function (part) {
      if (!part) return;
      var eq = part.indexOf("=");
      var key, value;
      try {
        key = decodeURIComponent(eq === -1 ? part : part.slice(0, eq));
        value = eq === -1 ? "" : decodeURIComponent(part.slice(eq + 1));
      } catch (e) {
        key = part; value = "";
      }
      if (!seen[key]) { seen[key] = true; order.push(key); }
      answers[key] = value;
    });
    return { answers: answers, order: order };
  }

  function fragment(data, answers) {
    return data.questions
      .filter(function (q) { return answers[q.id]; })
      .map(function (q) { return encodeURIComponent(q.id) + "=" + encodeURIComponent(answers[q.id]); })
      .join("&");
  }

  window.kbAssessment = { evaluate: evaluate, maxima: maxima, fragment: fragment, parseFragment: parseFragment };

  // --- The page -----------------------------------------------------------------------------
  var holder = document.getElementById("kb-assessment");
  var script = document.getElementById("kb-assessment-data");
  if (!holder || !script) return;
  var data = JSON.parse(script.textContent);
  var root = holder.getAttribute("data-root") || "";
  var byId = function (id) { return document.getElementById(id); };

  function href(path) {
    // Directory URLs need an explicit index.html when the site is opened from the disk.
    return root + path + (location.protocol === "file:" && /\/$/.test(path) ? "index.html" : "");
  }

  function current() {
    var answers = {};
    data.questions.forEach(function (q) {
      var checked = holder.querySelector('input[name="' + q.id + '"]:checked');
      if (checked) answers[q.id] = checked.value;
    });
    return answers;
  }

  function setFragment(text) {
    var url = location.href.split("#")[0] + (text ? "#" + text : "");
    try {
      history.replaceState(null, "", url);
    } catch (e) {
      location.replace(url);
    }
  }

  function element(tag, text) {
    var node = document.createElement(tag);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function fill(list, nodes) {
    while (list.firstChild) list.removeChild(list.firstChild);
    nodes.forEach(function (n) { list.appendChild(n); });
  }

  function showProblems(problems) {
    fill(byId("kb-assessment-problems"), problems.map(function (p) { return element("li", p); }));
    byId("kb-assessment-error").hidden = problems.length === 0;
  }

  function show(answers) {
    var missing = data.questions.filter(function (q) { return !answers[q.id]; });
    var result = byId("kb-assessment-result");
    if (missing.length) {
      result.hidden = true;
      byId("kb-assessment-status").textContent =
        (data.questions.length - missing.length) + " of " + data.questions.length +
        " questions answered. Still to answer: " +
        missing.map(function (q) { return data.questions.indexOf(q) + 1; }).join(", ") + ".";
      return;
    }
    var outcome = evaluate(data, answers);
    var persona = data.personas[outcome.persona];
    var names = {}, levelNames = {};
    data.dimensions.forEach(function (d) { names[d.id] = d.name; });
    data.levels.forEach(function (lv) { levelNames[lv.id] = lv.name; });
    byId("kb-assessment-status").textContent = "All questions answered.";
    var link = byId("kb-result-persona");
    link.textContent = persona.name;
    link.setAttribute("href", href(persona.path));
    result.setAttribute("data-persona", outcome.persona);
    fill(byId("kb-result-reasons"), outcome.reasons.map(function (r) { return element("li", r); }));
    byId("kb-result-weakest").textContent = outcome.weakest.length
      ? outcome.weakest.map(function (d) {
          return names[d] + " (" + outcome.scores[d].percent + "%, " + levelNames[outcome.scores[d].level] + ")";
        }).join("; ")
      : "None: every dimension is at the highest level.";
    fill(byId("kb-result-playbooks"), persona.playbooks.map(function (p) {
      var item = element("li");
      var a = element("a", p.title);
      a.setAttribute("href", href(p.path));
      item.appendChild(a);
      return item;
    }));
    fill(byId("kb-result-scores"), data.dimensions.map(function (d) {
      var s = outcome.scores[d.id];
      var row = element("tr");
      row.setAttribute("data-dimension", d.id);
      [d.name, s.points + " of " + s.max, s.percent + "%", levelNames[s.level]].forEach(function (text) {
        row.appendChild(element("td", text));
      });
      return row;
    }));
    fill(byId("kb-result-answers"), data.questions.map(function (q) {
      var option = q.options.filter(function (o) { return o.id === answers[q.id]; })[0];
      var item = element("li");
      item.appendChild(element("span", q.text + " "));
      item.appendChild(element("strong", option.text));
      return item;
    }));
    byId("kb-result-link").value = location.href;
    byId("kb-result-url").textContent = location.href;
    result.hidden = false;
  }

  function update() {
    setFragment(fragment(data, current()));
    showProblems([]);
    show(current());
  }

  function load() {
    var parsed = parseFragment(location.hash);
    holder.querySelectorAll("input[type=radio]").forEach(function (input) { input.checked = false; });
    var problems = answerProblems(data, parsed.answers, parsed.order);
    parsed.order.forEach(function (qid) {
      var input = holder.querySelector('input[name="' + CSS.escape(qid) + '"][value="' + CSS.escape(parsed.answers[qid]) + '"]');
      if (input && data.questions.some(function (q) { return q.id === qid; })) input.checked = true;
    });
    showProblems(problems);
    if (problems.length) {
      byId("kb-assessment-result").hidden = true;
      byId("kb-assessment-status").textContent = "Fix or re-answer the questions above to see a result.";
      return;
    }
    show(current());
  }

  holder.addEventListener("change", function (event) {
    if (event.target && event.target.type === "radio") update();
  });
  byId("kb-assessment-clear").addEventListener("click", function () {
    holder.querySelectorAll("input[type=radio]").forEach(function (input) { input.checked = false; });
    update();
  });
  byId("kb-result-print").addEventListener("click", function () { window.print(); });
  byId("kb-result-copy").addEventListener("click", function () {
    var field = byId("kb-result-link");
    field.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(field.value).catch(function () { document.execCommand("copy"); });
    } else {
      document.execCommand("copy");
    }
  });
  window.addEventListener("hashchange", load);
  load();
})();
