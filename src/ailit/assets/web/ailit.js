/* ailit: the self-check quiz and the catalogue's filters. Both work offline and with the
   keyboard (native radio buttons and selects). The quiz announces right or wrong through
   an aria-live region; without this file every answer's feedback is simply shown under it,
   and the catalogue lists every module. */
(function () {
  "use strict";
  document.documentElement.classList.add("ailit-js");

  /* Text this file writes into the page, isolated in a <bdi>: it takes the direction of
     its own words (dir=auto), so an English fallback on a right-to-left page keeps its
     full stop at its end and its numbers in order, and a translation reads in its own. */
  function isolated(text) {
    var bdi = document.createElement("bdi");
    bdi.textContent = text;
    return bdi;
  }

  function setUp(quiz) {
    var right = quiz.getAttribute("data-right") || "Right!";
    var wrong = quiz.getAttribute("data-wrong") || "Not quite.";
    quiz.querySelectorAll(".ailit-quiz-question").forEach(function (question) {
      var result = question.querySelector(".ailit-quiz-result");
      question.addEventListener("change", function (event) {
        var chosen = event.target.closest(".ailit-quiz-answer");
        if (!chosen) return;
        question.querySelectorAll(".ailit-quiz-answer").forEach(function (answer) {
          answer.classList.toggle("is-chosen", answer === chosen);
        });
        var ok = chosen.getAttribute("data-correct") === "true";
        question.classList.toggle("is-right", ok);
        question.classList.toggle("is-wrong", !ok);
        var feedback = chosen.querySelector(".ailit-quiz-feedback");
        /* seen: right or wrong (the feedback is shown under the answer);
           heard: both, since screen readers announce the live region only */
        result.textContent = "";
        result.appendChild(isolated(ok ? right : wrong));
        var spoken = document.createElement("span");
        spoken.className = "ailit-sr";
        spoken.textContent = " ";
        spoken.appendChild(isolated(feedback ? feedback.textContent.trim() : ""));
        result.appendChild(spoken);
      });
      /* an answer chosen before this script ran (it runs after the first paint) */
      var early = question.querySelector("input:checked");
      if (early) early.dispatchEvent(new Event("change", { bubbles: true }));
    });
  }

  /* The catalogue's filters: each <select data-filter="level"> keeps the cards whose
     data-level answers its value ("any": one of the card's words, "max": a number at
     most the value's, so a module for 11+ suits the learners "12+" asks for, "equal":
     the same text). The choice lives in the URL fragment
     (#level=beginner&competency=ai-foundations) so a link or the back button keeps it.
     When no card is left, the page names the filter to set back to "Any" (the one that
     brings back the most cards), or "Show all" when no single one would do.
     Without JavaScript the filters stay hidden and every card is listed. */
  function setUpFilters(box) {
    var selects = Array.prototype.slice.call(box.querySelectorAll("select[data-filter]"));
    var cards = document.querySelectorAll(".ailit-card");
    var count = box.querySelector(".ailit-filter-count");
    var none = document.querySelector(".ailit-filter-none");

    function fits(card, select) {
      var wanted = select.value;
      if (!wanted) return true;
      var value = card.getAttribute("data-" + select.getAttribute("data-filter")) || "";
      var match = select.getAttribute("data-match");
      if (match === "max") return value !== "" && parseFloat(value) <= parseFloat(wanted);
      if (match === "any") return value.split(" ").indexOf(wanted) >= 0;
      return value === wanted;
    }

    function apply() {
      var shown = 0;
      cards.forEach(function (card) {
        var ok = selects.every(function (select) { return fits(card, select); });
        card.hidden = !ok;
        if (ok) shown += 1;
      });
      document.querySelectorAll(".ailit-course-card").forEach(function (course) {
        course.hidden = !course.querySelector(".ailit-card:not([hidden])");
      });
      if (none) none.hidden = shown > 0;
      if (none && !shown) relax(none.querySelector(".ailit-filter-relax"));
      count.textContent = "";
      count.appendChild(isolated((count.getAttribute("data-template") || "{shown} / {total}")
        .replace("{shown}", shown).replace("{total}", cards.length)));
    }

    function relax(hint) {
      if (!hint) return;
      var best = null;
      var most = 0;
      selects.forEach(function (select) {
        if (!select.value) return;
        var count = Array.prototype.filter.call(cards, function (card) {
          return selects.every(function (other) { return other === select || fits(card, other); });
        }).length;
        if (count > most) { most = count; best = select; }
      });
      var label = best && box.querySelector("label[for='" + best.id + "']");
      var text = best ? hint.getAttribute("data-one").replace("{filter}", label.textContent.trim())
                      : hint.getAttribute("data-all");
      hint.textContent = "";
      hint.appendChild(isolated(text));
    }

    function read() {
      var state = {};
      location.hash.replace(/^#/, "").split("&").forEach(function (pair) {
        var parts = pair.split("=");
        try {
          if (parts.length === 2) state[decodeURIComponent(parts[0])] = decodeURIComponent(parts[1]);
        } catch (error) { /* a mangled link: ignore that part */ }
      });
      selects.forEach(function (select) {
        var wanted = state[select.getAttribute("data-filter")] || "";
        var known = Array.prototype.some.call(select.options, function (o) { return o.value === wanted; });
        select.value = known ? wanted : "";
      });
      apply();
    }

    function save() {
      var pairs = selects.filter(function (s) { return s.value; }).map(function (s) {
        return encodeURIComponent(s.getAttribute("data-filter")) + "=" + encodeURIComponent(s.value);
      });
      var url = location.href.replace(/#.*$/, "") + (pairs.length ? "#" + pairs.join("&") : "");
      try {
        history.replaceState(null, "", url);  /* no new history entry, no jump */
      } catch (error) {
        location.replace(pairs.length ? url : "#");
      }
      apply();
    }

    selects.forEach(function (select) { select.addEventListener("change", save); });
    box.querySelector(".ailit-filter-reset").addEventListener("click", function () {
      selects.forEach(function (select) { select.value = ""; });
      save();
    });
    window.addEventListener("hashchange", read);
    box.hidden = false;
    /* The filters show from the first paint, before this script runs: a choice made
       then (or kept by the browser's back button) is saved, not reset by an empty link. */
    var chosen = selects.some(function (select) { return select.value; });
    if (chosen && !location.hash.replace(/^#/, "")) save(); else read();
  }

  /* Search answers every query, typed fast, slow, pasted or composed: Material reads the
     box on keyup only, which an input method (Arabic, Chinese, phone keyboards), a paste
     from a menu or autocompletion never sends; so every change of its text is passed on
     as one. Set once: the search box outlives page loads. */
  document.addEventListener("input", function (event) {
    var box = event.target;
    if (box instanceof HTMLInputElement && box.classList.contains("md-search__input")) {
      box.dispatchEvent(new KeyboardEvent("keyup", { bubbles: true }));
    }
  });

  function ready() {
    document.querySelectorAll(".ailit-quiz").forEach(setUp);
    document.querySelectorAll(".ailit-filters").forEach(setUpFilters);
  }
  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(ready);  /* Material's page-load stream */
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
